namespace ActorRpc.Client;

/// <summary>
/// How an <see cref="ActorRpcClient"/> reconnects after its WebSocket drops. The first attempt waits
/// a random 50–100 % of <see cref="InitialDelay"/>; while connections die young (up for less than
/// <see cref="MaxDelay"/>) that wait doubles after each drop, up to <see cref="MaxDelay"/>, and a
/// connection that stayed up for <see cref="MaxDelay"/> resets it. Failed attempts are then spaced by
/// an exponential backoff with jitter (Polly's decorrelated jitter) from <see cref="InitialDelay"/>,
/// capped at <see cref="MaxDelay"/>.
/// </summary>
public sealed class RpcReconnectOptions
{
    /// <summary>Whether to reconnect at all. <value>The default is true.</value> When false, a drop closes the client.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>
    /// The delay the backoff starts from: the first attempt after a drop waits 50–100 % of it (more
    /// when the connections before died young). <value>The default is 500 ms.</value>
    /// </summary>
    public TimeSpan InitialDelay { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>
    /// The longest delay between two attempts, and how long a connection must stay up to reset the
    /// backoff (a shorter one counts as dying young). <value>The default is 30 seconds.</value>
    /// </summary>
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
