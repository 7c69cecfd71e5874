namespace ActorRpc;

/// <summary>
/// A call (or notification) to a client could not be answered because the client is not there:
/// no such session, its connection closed before or while the server waited, or the node that
/// holds its socket left the cluster. Thrown at once, never after a timeout.
/// </summary>
public sealed class RpcClientGoneException : Exception
{
    /// <summary>Creates the exception for the client of <paramref name="sessionId"/>.</summary>
    /// <param name="sessionId">The session that was called.</param>
    /// <param name="message">What happened, for logs.</param>
    public RpcClientGoneException(string sessionId, string message)
        : base(message)
    {
        SessionId = sessionId;
    }

    /// <summary>The session that was called.</summary>
    public string SessionId { get; }
}
