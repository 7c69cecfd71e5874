namespace ActorRpc.Tests.Sessions;

/// <summary>The handler behind the local task method "held", one per test: each call waits for <see cref="Release"/>.</summary>
public sealed class HeldMethod
{
    private readonly TaskCompletionSource<string> _result = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _started;
    private int _finished;

    public int Started => Volatile.Read(ref _started);

    public int Finished => Volatile.Read(ref _finished);

    public CancellationToken Token { get; private set; }

    public void Release(string result) => _result.TrySetResult(result);

    public async Task<string> Held(CancellationToken cancellationToken)
    {
        Token = cancellationToken;
        Interlocked.Increment(ref _started);
        try
        {
            return await _result.Task.ConfigureAwait(false); // Ignores the token on purpose: a handler that finishes late.
        }
        finally
        {
            Interlocked.Increment(ref _finished);
        }
    }
}
