namespace ActorRpc.Client;

/// <summary>
/// How an <see cref="ActorRpcClient"/> reconnects after its WebSocket drops: attempts spaced by an
/// exponential backoff with jitter (Polly's decorrelated jitter), capped at <see cref="MaxDelay"/>.
/// </summary>
public sealed class RpcReconnectOptions
{
    /// <summary>Whether to reconnect at all. <value>The default is true.</value> When false, a drop closes the client.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>The delay the backoff starts from (the first attempt is made after about it). <value>The default is 500 ms.</value></summary>
    public TimeSpan InitialDelay { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>The longest delay between two attempts. <value>The default is 30 seconds.</value></summary>
    public TimeSpan MaxDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How many attempts to make before the client closes; null tries for ever. <value>The default is null.</value></summary>
    public int? MaxAttempts { get; set; }

    /// <summary>Checks the options, naming the first bad one.</summary>
    internal void Validate()
    {
        if (InitialDelay <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(InitialDelay), InitialDelay, "RpcReconnectOptions.InitialDelay must be positive.");
        }

        if (MaxDelay < InitialDelay)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxDelay), MaxDelay, "RpcReconnectOptions.MaxDelay must be at least InitialDelay.");
        }

        if (MaxAttempts is <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxAttempts), MaxAttempts, "RpcReconnectOptions.MaxAttempts must be positive (or null for no limit).");
        }
    }
}
