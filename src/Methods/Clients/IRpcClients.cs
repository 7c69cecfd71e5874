namespace ActorRpc;

/// <summary>
/// Finds connected clients by their session id, on any node of the cluster, so that any service
/// or actor (not only a handler) can call them. Registered as a singleton by <c>AddActorRpc()</c>.
/// </summary>
public interface IRpcClients
{
    /// <summary>
    /// The client of the connection <paramref name="sessionId"/> (an <see cref="RpcContext.SessionId"/>).
    /// Never fails: a session that does not exist, or whose node is not an Up member of the cluster,
    /// makes every call of the returned client fail at once with <see cref="RpcClientGoneException"/>.
    /// </summary>
    /// <param name="sessionId">The connection's id, as <see cref="RpcContext.SessionId"/> gave it.</param>
    /// <returns>A handle to the client; cheap, and not tied to the connection's life.</returns>
    IRpcClient Get(string sessionId);
}
