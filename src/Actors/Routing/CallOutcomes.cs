using System.Text.Json;
using Akka.Event;
using ActorRpc.Actors.Protocol;
using ActorRpc.Methods.Definition;

namespace ActorRpc.Actors.Routing;

/// <summary>
/// Turns the end of a call, success or failure, into its response frame, and logs failures with
/// the call's context. Shared by the task path and the actor path so both answer alike. Thread-safe.
/// </summary>
internal sealed class CallOutcomes(ILoggingAdapter log, JsonSerializerOptions serializerOptions, bool detailedErrors)
{
    public byte[]? Succeeded(RpcCall call, in RpcValue value)
    {
        if (call.IsNotification)
        {
            return null;
        }

        try
        {
            return JsonRpcResponseWriter.Result(call.Id, value, serializerOptions);
        }
        catch (Exception ex) when (ex is JsonException or NotSupportedException or InvalidOperationException)
        {
            // The handler succeeded but its result cannot be written as JSON: a server bug, not the client's.
            return Failed(call, ex);
        }
    }

    public byte[]? Failed(RpcCall call, Exception exception)
    {
        var error = RpcErrorMapper.FromException(exception, detailedErrors, call.CancellationToken.IsCancellationRequested, out var unexpected);
        if (unexpected)
        {
            log.Error(
                exception,
                "Method [{0}] failed on session [{1}], request [{2}]",
                call.Method,
                call.Context.SessionId,
                call.Context.RequestId ?? "notification");
        }
        else if (log.IsDebugEnabled)
        {
            log.Debug("Method [{0}] answered error [{1}] on session [{2}], request [{3}]", call.Method, error.Code, call.Context.SessionId, call.Context.RequestId ?? "notification");
        }

        if (call.IsNotification)
        {
            return null;
        }

        try
        {
            return JsonRpcResponseWriter.Error(call.Id, error, serializerOptions);
        }
#pragma warning disable CA1031 // Error data is the handler's object; whatever its serialization throws, the call still gets its error.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            log.Error(ex, "Error data of method [{0}] cannot be serialized; answering without it", call.Method);
            return JsonRpcResponseWriter.Error(call.Id, error with { Data = null }, serializerOptions);
        }
    }
}
