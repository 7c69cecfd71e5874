namespace ActorRpc.Client;

/// <summary>Raised when the connection dropped and the client starts reconnecting (<see cref="ActorRpcClient.Reconnecting"/>).</summary>
/// <param name="exception">The error that ended the connection, or null when the server closed it cleanly.</param>
/// <param name="reason">A short description of why the connection ended (the close status and description when there was one).</param>
public sealed class RpcReconnectingEventArgs(Exception? exception, string reason) : EventArgs
{
    /// <summary>The error that ended the connection, or null when the server closed it cleanly.</summary>
    public Exception? Exception { get; } = exception;

    /// <summary>A short description of why the connection ended.</summary>
    public string Reason { get; } = reason;
}

/// <summary>Raised when a new connection is up and every live subscription was re-made (<see cref="ActorRpcClient.Reconnected"/>).</summary>
/// <param name="attempts">How many connection attempts it took (1 when the first succeeded).</param>
public sealed class RpcReconnectedEventArgs(int attempts) : EventArgs
{
    /// <summary>How many connection attempts it took (1 when the first succeeded).</summary>
    public int Attempts { get; } = attempts;
}

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
