namespace ActorRpc.Tests.Infrastructure;

/// <summary>
/// Retries an assertion until it holds or <see cref="TestTimeouts.Long"/> passes: for state that
/// converges by gossip (cluster membership, pub/sub registrations), where there is no single event to wait on.
/// </summary>
public static class Eventually
{
    public static async Task AssertAsync(Func<Task> assertion, TimeSpan? interval = null)
    {
        var deadline = DateTime.UtcNow + TestTimeouts.Long;
        while (true)
        {
            try
            {
                await assertion();
                return;
            }
            catch (Xunit.Sdk.XunitException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(interval ?? TimeSpan.FromMilliseconds(100));
            }
        }
    }

    public static Task AssertAsync(Action assertion) => AssertAsync(() =>
    {
        assertion();
        return Task.CompletedTask;
    });
}
