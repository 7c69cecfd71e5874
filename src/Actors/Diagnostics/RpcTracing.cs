using System.Diagnostics;
using ActorRpc.Actors.Routing;
using ActorRpc.Methods.Errors;

namespace ActorRpc.Actors.Diagnostics;

/// <summary>
/// The spans of a request: a server span on the node whose session received it (ended when its
/// response is ready) and a handler span, its child, on the node that runs the method (ended when
/// the handler's reply is produced); across nodes the parent travels in the routed call.
/// </summary>
/// <remarks>
/// Actor threads are shared by every actor, so no span is ever left as <see cref="Activity.Current"/>
/// there: spans are started and stopped detached, restoring whatever was current. Only the task
/// path makes the handler span current, inside the handler's own async flow.
/// </remarks>
internal static class RpcTracing
{
    /// <summary>The source's name, to add to a tracing pipeline (<c>AddSource("ActorRpc")</c>).</summary>
    public const string SourceName = "ActorRpc";

    public const string SessionIdTag = "actorrpc.session_id";
    public const string RequestIdTag = "rpc.jsonrpc.request_id";

    public static ActivitySource Source { get; } = new(SourceName, typeof(RpcTracing).Assembly.GetName().Version?.ToString());

    /// <summary>Starts the server span of one request received by a session (null when no one listens).</summary>
    /// <param name="methodLabel">The folded method name (see <see cref="RpcMetrics.MethodLabel"/>).</param>
    /// <param name="rawId">The id's UTF-8 JSON; empty for a notification.</param>
    /// <param name="sessionId">The session that received the request.</param>
    /// <param name="transport"><c>websocket</c> or <c>http</c>.</param>
    /// <param name="parent">The incoming trace context (an HTTP request's), or default for a new trace.</param>
    public static Activity? StartRequest(string methodLabel, ReadOnlyMemory<byte> rawId, string sessionId, string transport, ActivityContext parent)
    {
        if (!Source.HasListeners())
        {
            return null;
        }

        var tags = CommonTags(methodLabel);
        tags.Add(SessionIdTag, sessionId);
        tags.Add(RpcMetrics.TransportTag, transport);
        if (!rawId.IsEmpty)
        {
            // The client's id, kept on spans (never on metrics) as every echo of client text is: bounded, never cut mid-character.
            tags.Add(RequestIdTag, ClientText.Bound(rawId.Span));
        }

        return StartDetached(methodLabel, ActivityKind.Server, parent, tags);
    }

    /// <summary>
    /// Starts the handler span of <paramref name="call"/>, a child of the session's span: kind Server
    /// when that span is on another node (the call was routed here), Internal otherwise.
    /// </summary>
    public static Activity? StartHandler(RpcCall call, string methodLabel)
    {
        if (!Source.HasListeners())
        {
            return null;
        }

        var tags = CommonTags(methodLabel);
        tags.Add(SessionIdTag, call.Context.SessionId);
        var kind = call.TraceParent.IsRemote ? ActivityKind.Server : ActivityKind.Internal;
        return StartDetached("handle " + methodLabel, kind, call.TraceParent, tags);
    }

    /// <summary>Ends <paramref name="span"/>, marking it failed when the answer is an error, without touching the caller's current span.</summary>
    public static void Finish(Activity? span, int? errorCode)
    {
        if (span is null)
        {
            return;
        }

        if (errorCode is { } code)
        {
            span.SetTag(RpcMetrics.ErrorCodeTag, code);
            span.SetStatus(ActivityStatusCode.Error);
        }

        var current = Activity.Current;
        span.Stop();

        // Stop makes the span's predecessor current; where the span was not current, put back what was.
        if (!ReferenceEquals(current, span))
        {
            Activity.Current = current;
        }
    }

    /// <summary>The W3C <c>traceparent</c> of <paramref name="context"/>, or null for none; what crosses nodes.</summary>
    public static string? ToTraceParent(ActivityContext context) =>
        context == default
            ? null
            : $"00-{context.TraceId.ToHexString()}-{context.SpanId.ToHexString()}-{((context.TraceFlags & ActivityTraceFlags.Recorded) != 0 ? "01" : "00")}";

    /// <summary>Reads a <c>traceparent</c> (and <c>tracestate</c>) from another node; default when absent or invalid.</summary>
    public static ActivityContext FromTraceParent(string? traceParent, string? traceState) =>
        traceParent is not null && ActivityContext.TryParse(traceParent, traceState, isRemote: true, out var context) ? context : default;

    private static TagList CommonTags(string methodLabel) => new()
    {
        { "rpc.system", "jsonrpc" },
        { "rpc.jsonrpc.version", "2.0" },
        { RpcMetrics.MethodTag, methodLabel },
    };

    private static Activity? StartDetached(string name, ActivityKind kind, ActivityContext parent, TagList tags)
    {
        var previous = Activity.Current;

        // With no parent given, StartActivity would adopt whatever is current on this thread: start a new trace instead.
        Activity.Current = null;
        var span = Source.StartActivity(name, kind, parent, tags);
        Activity.Current = previous;
        return span;
    }
}
