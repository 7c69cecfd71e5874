using System.Net.WebSockets;

namespace ActorRpc.Gateway.Logging;

/// <summary>The Gateway's log lines: stable ids, named placeholders, no payloads.</summary>
internal static partial class GatewayLog
{
    [LoggerMessage(1, LogLevel.Debug, "Session {SessionId} opened from {RemoteAddress}")]
    public static partial void SessionOpened(ILogger logger, string sessionId, string? remoteAddress);

    [LoggerMessage(2, LogLevel.Debug, "Session {SessionId} ended")]
    public static partial void SessionEnded(ILogger logger, string sessionId);

    [LoggerMessage(3, LogLevel.Information, "Session {SessionId} closed by the server with {Status}: {Reason}")]
    public static partial void ClosingConnection(ILogger logger, string sessionId, WebSocketCloseStatus status, string reason);

    [LoggerMessage(4, LogLevel.Debug, "Session {SessionId}: the connection was lost")]
    public static partial void ConnectionLost(ILogger logger, string sessionId, Exception exception);

    [LoggerMessage(5, LogLevel.Warning, "Session {SessionId}: closing handshake timed out; connection aborted")]
    public static partial void CloseTimedOut(ILogger logger, string sessionId);

    [LoggerMessage(6, LogLevel.Information, "Closing {Count} WebSocket connections: the node is shutting down")]
    public static partial void ClosingAll(ILogger logger, int count);

    [LoggerMessage(7, LogLevel.Information, "The node is no longer ready and refuses new connections: {Reason}")]
    public static partial void NotReady(ILogger logger, string reason);

    [LoggerMessage(8, LogLevel.Debug, "Refused a new connection from {RemoteAddress}: the node is shutting down")]
    public static partial void RefusedShuttingDown(ILogger logger, string? remoteAddress);

    [LoggerMessage(9, LogLevel.Warning, "WebSocket upgrade refused with 503: the node holds its maximum of {MaxConnections} connections (ActorRpc:Endpoint:MaxConnections)")]
    public static partial void ConnectionRefused(ILogger logger, int maxConnections);

    [LoggerMessage(10, LogLevel.Information, "Session {SessionId} closed: idle for {IdleTimeout} (ActorRpc:Endpoint:IdleTimeout)")]
    public static partial void IdleConnectionClosed(ILogger logger, string sessionId, TimeSpan idleTimeout);

    [LoggerMessage(11, LogLevel.Information, "Session {SessionId} closed by its WebSocket, which refused a frame: {Reason}")]
    public static partial void SocketFailedMessage(ILogger logger, string sessionId, string reason);

    [LoggerMessage(12, LogLevel.Information, "Request from origin {Origin} refused with 403: not in ActorRpc:Endpoint:AllowedOrigins")]
    public static partial void OriginRefused(ILogger logger, string origin);

    // 30-39: the HTTP endpoint's limits (issue 12).
    [LoggerMessage(30, LogLevel.Warning, "POST refused with 503: the node runs its maximum of {MaxNodeHandlers} handlers (ActorRpc:Limits:MaxNodeHandlers)")]
    public static partial void PostRefusedServerBusy(ILogger logger, int maxNodeHandlers);

    [LoggerMessage(31, LogLevel.Warning, "POST refused with 503: the node holds its maximum of {MaxConnections} connections (ActorRpc:Endpoint:MaxConnections)")]
    public static partial void PostRefusedConnections(ILogger logger, int maxConnections);

    [LoggerMessage(32, LogLevel.Debug, "POST refused with 415: Content-Type {ContentType} is not JSON")]
    public static partial void PostRefusedContentType(ILogger logger, string contentType);

    [LoggerMessage(33, LogLevel.Warning, "Session {SessionId}: the handlers of an HTTP exchange were still running {Wait} after its answer; answering anyway")]
    public static partial void ExchangeOutlivedWait(ILogger logger, string sessionId, TimeSpan wait);

    [LoggerMessage(34, LogLevel.Debug, "POST from {RemoteAddress} refused with 408: its body did not arrive within {MessageTimeout} (ActorRpc:Endpoint:MessageTimeout)")]
    public static partial void PostBodyTimedOut(ILogger logger, string? remoteAddress, TimeSpan messageTimeout);

    [LoggerMessage(35, LogLevel.Debug, "Request from {RemoteAddress} refused with 401: its credentials did not validate (the authentication scheme logs why)")]
    public static partial void CredentialsRefused(ILogger logger, string? remoteAddress);
}
