using Microsoft.Extensions.Logging;

namespace ActorRpc.Client;

/// <summary>Everything the client logs, with stable event ids; payloads are never logged.</summary>
internal static partial class ClientLog
{
    [LoggerMessage(1, LogLevel.Information, "The connection to the server was lost.")]
    public static partial void ConnectionLost(ILogger logger, Exception exception);

    [LoggerMessage(2, LogLevel.Information, "The server closed the connection with [{Status}] [{Description}].")]
    public static partial void ServerClosed(ILogger logger, int? status, string? description);

    [LoggerMessage(3, LogLevel.Warning, "Sending to the server failed; the connection ends.")]
    public static partial void SendFailed(ILogger logger, Exception exception);

    [LoggerMessage(4, LogLevel.Warning, "The server sent a message larger than MaxMessageSize ([{MaxMessageSize}] bytes); closing with 1009.")]
    public static partial void MessageTooBig(ILogger logger, int maxMessageSize);

    [LoggerMessage(5, LogLevel.Warning, "A message from the server is not valid JSON-RPC and was ignored: {Problem}")]
    public static partial void MalformedMessage(ILogger logger, string problem);

    [LoggerMessage(6, LogLevel.Error, "Handling a message from the server failed; the next message is read.")]
    public static partial void MessageFailed(ILogger logger, Exception exception);

    [LoggerMessage(7, LogLevel.Debug, "An answer for id [{Id}] matches no waiting call (it timed out or was cancelled) and was ignored.")]
    public static partial void UnknownResponse(ILogger logger, string id);

    [LoggerMessage(8, LogLevel.Warning, "The server answered with an error that names no call: [{Code}] {Message}")]
    public static partial void ErrorWithoutId(ILogger logger, int code, string message);

    [LoggerMessage(9, LogLevel.Debug, "A notification of [{Method}] has no subscription nor client method and was ignored.")]
    public static partial void UnhandledNotification(ILogger logger, string method);

    [LoggerMessage(10, LogLevel.Warning, "Reconnect attempt [{Attempt}] failed; the next in [{Delay}].")]
    public static partial void ReconnectAttemptFailed(ILogger logger, int attempt, TimeSpan delay, Exception? exception);

    [LoggerMessage(11, LogLevel.Information, "Reconnected after [{Attempts}] attempt(s); re-subscribed [{Topics}] topic(s).")]
    public static partial void Reconnected(ILogger logger, int attempts, int topics);

    [LoggerMessage(12, LogLevel.Information, "The client closed: {Reason}")]
    public static partial void Closed(ILogger logger, string reason);

    [LoggerMessage(21, LogLevel.Warning, "The client closed on an error: {Reason}")]
    public static partial void ClosedWithError(ILogger logger, string reason, Exception exception);

    [LoggerMessage(13, LogLevel.Warning, "Re-subscribing to [{Topic}] after the reconnect failed; its subscriptions end with the error.")]
    public static partial void ResubscribeFailed(ILogger logger, string topic, Exception exception);

    [LoggerMessage(14, LogLevel.Warning, "Subscription to [{Topic}] is full ([{Capacity}] notifications): the oldest was dropped. Its reader is slower than the topic.")]
    public static partial void SubscriptionOverflow(ILogger logger, string topic, int capacity);

    [LoggerMessage(15, LogLevel.Error, "The client-side method [{Method}] threw; the server gets -32603 without the details.")]
    public static partial void HandlerFailed(ILogger logger, string method, Exception exception);

    [LoggerMessage(16, LogLevel.Error, "A handler of the client's [{Event}] event threw.")]
    public static partial void EventHandlerFailed(ILogger logger, string @event, Exception exception);

    [LoggerMessage(17, LogLevel.Debug, "Unsubscribing from [{Topic}] did not reach the server.")]
    public static partial void UnsubscribeFailed(ILogger logger, string topic, Exception exception);

    [LoggerMessage(18, LogLevel.Debug, "The server's HTTP answer was [{Bytes}] bytes.")]
    public static partial void HttpAnswered(ILogger logger, int bytes);

    [LoggerMessage(19, LogLevel.Debug, "The closing handshake did not complete cleanly.")]
    public static partial void CloseNotClean(ILogger logger, Exception exception);

    [LoggerMessage(20, LogLevel.Debug, "The answer to the server's call [{Id}] could not be sent: the connection ended.")]
    public static partial void AnswerLost(ILogger logger, string id);

    [LoggerMessage(22, LogLevel.Information, "Reconnecting: the first attempt in [{Delay}].")]
    public static partial void ReconnectWaiting(ILogger logger, TimeSpan delay);

    [LoggerMessage(23, LogLevel.Warning, "The server made [{Limit}] calls to this client that are still running (MaxConcurrentServerCalls); its call [{Id}] was answered -32001.")]
    public static partial void ServerCallRefused(ILogger logger, int limit, string id);

    [LoggerMessage(24, LogLevel.Warning, "The server made [{Limit}] calls to this client that are still running (MaxConcurrentServerCalls); its notification of [{Method}] was dropped.")]
    public static partial void ServerNotificationDropped(ILogger logger, int limit, string method);

    [LoggerMessage(25, LogLevel.Warning, "The server's HTTP answer holds a request or notification of [{Method}]; over HTTP the server cannot call the client, so it was ignored.")]
    public static partial void IgnoredOverHttp(ILogger logger, string method);

    [LoggerMessage(26, LogLevel.Warning, "The server sent call id [{Id}] while a call with that id is still running on this connection; answered -32600.")]
    public static partial void DuplicateServerCall(ILogger logger, string id);
}
