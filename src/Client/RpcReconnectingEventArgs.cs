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
