namespace ActorRpc.Tests.Infrastructure;

/// <summary>
/// The two waits a test may make: <see cref="Short"/> for "nothing should happen", and
/// <see cref="Long"/> for "this should have happened" (generous, for a loaded 2-core CI machine).
/// </summary>
public static class TestTimeouts
{
    public static readonly TimeSpan Short = TimeSpan.FromMilliseconds(300);

    public static readonly TimeSpan Long = TimeSpan.FromSeconds(20);

    public static Task DefaultTimeout(this Task task) => task.WaitAsync(Long);

    public static Task<T> DefaultTimeout<T>(this Task<T> task) => task.WaitAsync(Long);
}
