using System.Diagnostics;
using System.Text.Json;
using Akka.Event;
using ActorRpc.Actors.Diagnostics;
using ActorRpc.Actors.Protocol;
using ActorRpc.Methods.Definition;
using ActorRpc.Methods.Errors;

namespace ActorRpc.Actors.Routing;

/// <summary>
/// Turns the end of a call, success or failure, into its response frame, and logs failures with
/// the call's context. Shared by the task path and the actor path so both answer alike, and so
/// both are measured alike: <see cref="Started"/> opens the handler's span and gauge, and the
/// outcome closes them and counts the request. Thread-safe.
/// </summary>
/// <remarks>
/// Request ids in logs are bounded (<see cref="ClientText"/>), and tracebacks of unexpected faults
/// are rate-limited per method (<see cref="FaultLogThrottle"/>): a client decides how often a handler fails.
/// </remarks>
internal sealed class CallOutcomes(
    ILoggingAdapter log, JsonSerializerOptions serializerOptions, bool detailedErrors, RpcMetrics metrics, FaultLogThrottle? faultLog = null)
{
    private readonly FaultLogThrottle _faultLog = faultLog ?? new FaultLogThrottle();

    public CallOutcomes(ILoggingAdapter log, RouterSettings settings)
        : this(log, settings.SerializerOptions, settings.DetailedErrors, settings.Metrics)
    {
    }

    /// <summary>A handler starts on <paramref name="call"/>; the span returned goes to <see cref="Succeeded"/> or <see cref="Failed"/>.</summary>
    public Activity? Started(RpcCall call)
    {
        var method = metrics.MethodLabel(call.Method);
        metrics.HandlerStarted(method);
        return RpcTracing.StartHandler(call, method);
    }

    /// <summary>The session gave up on the call (timeout, client cancel, disconnect) and answered it itself.</summary>
    public void Abandoned(RpcCall call, Activity? span) => Finish(call, span, (int)JsonRpcErrorCode.RequestCanceled);

    public byte[]? Succeeded(RpcCall call, in RpcValue value, Activity? span)
    {
        byte[]? frame = null;
        if (!call.IsNotification)
        {
            try
            {
                frame = JsonRpcResponseWriter.Result(call.Id, value, serializerOptions);
            }
            catch (Exception ex) when (ex is JsonException or NotSupportedException or InvalidOperationException)
            {
                // The handler succeeded but its result cannot be written as JSON: a server bug, not the client's.
                return Failed(call, ex, span);
            }
        }

        Finish(call, span, errorCode: null);
        return frame;
    }

    public byte[]? Failed(RpcCall call, Exception exception, Activity? span) => FailedCore(call, exception, span, handlerStarted: true);

    /// <summary>
    /// The call ends before any handler started on it (an actor method's guard refused it, or its
    /// policy failed): the same error frame and the same request count as <see cref="Failed"/>,
    /// without a handler span and without touching the active-handler gauge.
    /// </summary>
    public byte[]? FailedBeforeStart(RpcCall call, Exception exception) => FailedCore(call, exception, span: null, handlerStarted: false);

    private byte[]? FailedCore(RpcCall call, Exception exception, Activity? span, bool handlerStarted)
    {
        var error = RpcErrorMapper.FromException(exception, detailedErrors, call.CancellationToken.IsCancellationRequested, out var unexpected);
        if (unexpected && _faultLog.ShouldLog(call.Method, out var suppressed))
        {
            if (suppressed == 0)
            {
                log.Error(exception, "Method [{0}] failed on session [{1}], request [{2}]", ClientText.Bound(call.Method), call.Context.SessionId, RequestIdText(call));
            }
            else
            {
                log.Error(
                    exception,
                    "Method [{0}] failed on session [{1}], request [{2}]; {3} more faults of method [{4}] suppressed since the last one logged (one traceback per method per {5})",
                    ClientText.Bound(call.Method),
                    call.Context.SessionId,
                    RequestIdText(call),
                    suppressed,
                    ClientText.Bound(call.Method),
                    FaultLogThrottle.Window);
            }
        }
        else if (!unexpected && log.IsDebugEnabled)
        {
            log.Debug("Method [{0}] answered error [{1}] on session [{2}], request [{3}]", ClientText.Bound(call.Method), error.Code, call.Context.SessionId, RequestIdText(call));
        }

        byte[]? frame = null;
        if (!call.IsNotification)
        {
            try
            {
                frame = JsonRpcResponseWriter.Error(call.Id, error, serializerOptions);
            }
#pragma warning disable CA1031 // Error data is the handler's object; whatever its serialization throws, the call still gets its error.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                log.Error(
                    ex,
                    "Error data of method [{0}] cannot be serialized; answering without it (session [{1}], request [{2}])",
                    ClientText.Bound(call.Method),
                    call.Context.SessionId,
                    RequestIdText(call));
                frame = JsonRpcResponseWriter.Error(call.Id, error with { Data = null }, serializerOptions);
            }
        }

        Finish(call, span, error.Code, handlerStarted);
        return frame;
    }

    private static string RequestIdText(RpcCall call) => call.IsNotification ? "notification" : ClientText.Bound(call.Id.Span);

    private void Finish(RpcCall call, Activity? span, int? errorCode, bool handlerStarted = true)
    {
        var method = metrics.MethodLabel(call.Method);
        if (handlerStarted)
        {
            metrics.HandlerFinished(method);
        }

        metrics.RequestHandled(method, errorCode, call.Started);
        RpcTracing.Finish(span, errorCode);
    }
}
