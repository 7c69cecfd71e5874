namespace ActorRpc.Client;

/// <summary>Raised once, when the client is closed for good (<see cref="ActorRpcClient.Closed"/>).</summary>
/// <param name="exception">The error that closed it (the last failed reconnect attempt, or the drop when reconnect is off), or null when it was disposed.</param>
/// <param name="reason">A short description of why it closed.</param>
public sealed class RpcClosedEventArgs(Exception? exception, string reason) : EventArgs
{
    /// <summary>The error that closed the client, or null when it was disposed.</summary>
    public Exception? Exception { get; } = exception;

    /// <summary>A short description of why it closed.</summary>
    public string Reason { get; } = reason;
}
