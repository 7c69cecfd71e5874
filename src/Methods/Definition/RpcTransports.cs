namespace ActorRpc.Methods.Definition;

/// <summary>The names of the transports a call comes on (<see cref="RpcContext.Transport"/>), in one place for the server and its contexts.</summary>
internal static class RpcTransports
{
    /// <summary>A WebSocket connection: many messages both ways, so the server can call its client.</summary>
    public const string WebSocket = "websocket";

    /// <summary>An HTTP POST exchange: one message in, its answer out.</summary>
    public const string Http = "http";
}
