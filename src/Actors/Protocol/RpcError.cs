using ActorRpc.Methods.Authorization;
using ActorRpc.Methods.Errors;

namespace ActorRpc.Actors.Protocol;

/// <summary>A JSON-RPC error object before it is written.</summary>
/// <param name="Code">The error code.</param>
/// <param name="Message">The client-facing message.</param>
/// <param name="Data">Optional structured detail.</param>
internal sealed record RpcError(int Code, string Message, object? Data = null)
{
    public static readonly RpcError ParseError = new((int)JsonRpcErrorCode.ParseError, "Parse error");
    public static readonly RpcError InternalError = new((int)JsonRpcErrorCode.InternalError, "Internal error");
    public static readonly RpcError RequestCancelled = new((int)JsonRpcErrorCode.RequestCanceled, "Request cancelled");

    public static RpcError RequestTimedOut(TimeSpan timeout) =>
        new((int)JsonRpcErrorCode.RequestTimedOut, "Request timed out", new TimeoutData(timeout.TotalMilliseconds));

    /// <summary>-32000: the node runs ActorRpc:Limits:MaxNodeHandlers handlers already; the call did not run.</summary>
    public static readonly RpcError ServerBusy = new(
        (int)JsonRpcErrorCode.ServerBusy, "Server busy", new LimitData(LimitKeys.MaxNodeHandlers));

    /// <summary>-32010: the method or topic needs a user and the caller has none (or its token expired).</summary>
    public static readonly RpcError AuthenticationRequired = new((int)JsonRpcErrorCode.AuthenticationRequired, RpcAuthorizer.AuthenticationRequiredMessage);

    /// <summary>-32011: the caller's user lacks what the method's or topic's guard asks.</summary>
    public static readonly RpcError NotPermitted = new((int)JsonRpcErrorCode.NotPermitted, RpcAuthorizer.NotPermittedMessage);

    /// <summary>-32600 for <c>authenticate</c> over HTTP: an exchange has no connection to keep a user on; send the token with the POST.</summary>
    public static readonly RpcError AuthenticateNeedsWebSocket = new((int)JsonRpcErrorCode.InvalidRequest, "authenticate needs a WebSocket");

    /// <summary>-32600 for <c>subscribe</c> over HTTP: an exchange ends with its answer, so nothing could be delivered.</summary>
    public static readonly RpcError SubscriptionsNeedWebSocket = new((int)JsonRpcErrorCode.InvalidRequest, "subscriptions need a WebSocket");

    /// <summary>-32029: the connection is past ActorRpc:Limits:MessagesPerSecond; a token is back after <paramref name="retryAfter"/>.</summary>
    public static RpcError TooManyRequests(TimeSpan retryAfter) =>
        new((int)JsonRpcErrorCode.TooManyRequests, "Too many requests", new RateLimitData(Math.Max(1, (long)Math.Ceiling(retryAfter.TotalMilliseconds)), LimitKeys.MessagesPerSecond));

    /// <summary>
    /// -32603 replacing a response (or, with <paramref name="batch"/>, a batch's array) past
    /// ActorRpc:Limits:MaxResponseSize; its data names the setting, as every limit's error does.
    /// </summary>
    public static RpcError ResponseTooLarge(int maxResponseSize, bool batch) => new(
        (int)JsonRpcErrorCode.InternalError,
        batch
            ? $"Batch response exceeds {maxResponseSize} bytes ({LimitKeys.MaxResponseSize}); send fewer requests per batch"
            : $"Response exceeds {maxResponseSize} bytes ({LimitKeys.MaxResponseSize})",
        new LimitData(LimitKeys.MaxResponseSize));

    public static RpcError InvalidRequest(string detail) => new((int)JsonRpcErrorCode.InvalidRequest, "Invalid Request", detail);

    /// <summary>-32602: the params do not fit the method; <paramref name="message"/> says what to fix.</summary>
    public static RpcError InvalidParams(string message) => new((int)JsonRpcErrorCode.InvalidParams, message);

    public static RpcError MethodNotFound(string method) =>
        new((int)JsonRpcErrorCode.MethodNotFound, "Method not found", new MethodNotFoundData(ClientText.Bound(method)));

    /// <summary>The data of -32001: the limit that was reached (ActorRpc:Limits:HandlerTimeout).</summary>
    internal sealed record TimeoutData(double TimeoutMs);

    /// <summary>The data of -32000 and of an oversize response's -32603: the setting whose limit was reached.</summary>
    internal sealed record LimitData(string Limit);

    /// <summary>The data of -32029: when to try again, and the setting whose limit was reached.</summary>
    internal sealed record RateLimitData(long RetryAfterMs, string Limit);

    /// <summary>The data of -32601: which method was asked for (bounded: <see cref="ClientText.Bound(string)"/>).</summary>
    internal sealed record MethodNotFoundData(string Method);
}
