namespace ActorRpc;

/// <summary>
/// Every error code ActorRpc sends, in one place. The JSON-RPC 2.0 specification reserves
/// -32768..-32000; within it, -32700 and -32600..-32603 are the protocol errors and
/// -32099..-32000 are "server defined", left to applications (<see cref="RpcException"/>).
/// <see cref="RequestCanceled"/> (-32800) is the code StreamJsonRpc and LSP clients already know.
/// ActorRpc itself uses the server-defined codes <see cref="ServerBusy"/> (-32000) and
/// <see cref="RequestTimedOut"/> (-32001), <see cref="AuthenticationRequired"/> (-32010, HTTP's 401),
/// <see cref="NotPermitted"/> (-32011, HTTP's 403) and <see cref="TooManyRequests"/> (-32029, for HTTP's 429);
/// the rest of -32099..-32000 is the application's.
/// </summary>
public enum JsonRpcErrorCode
{
    /// <summary>Invalid JSON was received by the server.</summary>
    ParseError = -32700,

    /// <summary>The JSON sent is not a valid Request object (or the batch is empty or too long).</summary>
    InvalidRequest = -32600,

    /// <summary>The method does not exist or is not available.</summary>
    MethodNotFound = -32601,

    /// <summary>Invalid method parameter(s): missing, of the wrong type, or unknown.</summary>
    InvalidParams = -32602,

    /// <summary>An unexpected error inside a handler; details are logged on the server and redacted by default.</summary>
    InternalError = -32603,

    /// <summary>
    /// The handler did not finish within <c>ActorRpc:Limits:HandlerTimeout</c>; its
    /// CancellationToken was cancelled. Server-defined, so in -32099..-32000.
    /// </summary>
    RequestTimedOut = -32001,

    /// <summary>
    /// The node already runs <c>ActorRpc:Limits:MaxNodeHandlers</c> handlers; the call did not run.
    /// Retry later, or on another node. Server-defined, so in -32099..-32000.
    /// </summary>
    ServerBusy = -32000,

    /// <summary>
    /// The connection sent more than <c>ActorRpc:Limits:MessagesPerSecond</c> allows; the call did
    /// not run. <c>data.retryAfterMs</c> says when a token is back. Server-defined (-32000 - 29, after HTTP's 429).
    /// </summary>
    TooManyRequests = -32029,

    /// <summary>
    /// The method (or topic) needs a user and the caller has none: no token, or its token's lifetime
    /// ended on the open connection. Send a token (or call <c>authenticate</c>) and try again.
    /// Server-defined, so in -32099..-32000.
    /// </summary>
    AuthenticationRequired = -32010,

    /// <summary>
    /// The caller's user lacks what the method's (or topic's) authorization policy, role or
    /// permission asks for. Server-defined, so in -32099..-32000.
    /// </summary>
    NotPermitted = -32011,

    /// <summary>
    /// The request was cancelled before its handler finished, by the client's <c>$/cancelRequest</c>
    /// or because its connection went away (the same code StreamJsonRpc uses).
    /// </summary>
    RequestCanceled = -32800,
}
