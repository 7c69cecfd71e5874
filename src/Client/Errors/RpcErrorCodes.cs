namespace ActorRpc.Client;

/// <summary>
/// The JSON-RPC error codes this client answers the server with when a client-side method fails,
/// and the codes it reads specially. Written once so the mapping is in one place.
/// </summary>
internal static class RpcErrorCodes
{
    /// <summary>The server's message was not a valid request.</summary>
    public const int InvalidRequest = -32600;

    /// <summary>No client-side method of that name is registered.</summary>
    public const int MethodNotFound = -32601;

    /// <summary>The params could not be bound to the handler's parameters.</summary>
    public const int InvalidParams = -32602;

    /// <summary>The handler threw something other than <see cref="RpcCallException"/>; details stay on this side.</summary>
    public const int InternalError = -32603;

    /// <summary>Too many of the server's calls are running on this client (<see cref="ActorRpcClientOptions.MaxConcurrentServerCalls"/>).</summary>
    public const int TooManyServerCalls = -32001;

    /// <summary>The server cancelled its call (<c>$/cancelRequest</c>) and the handler gave up.</summary>
    public const int RequestCancelled = -32800;
}
