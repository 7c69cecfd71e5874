
namespace ActorRpc.Actors.Protocol;

/// <summary>
/// The one funnel from a handler's exception to the error object the client sees. Errors a
/// handler meant (<see cref="RpcException"/>) go out as they are; anything else is redacted to
/// "Internal error" unless detailed errors are on, and is reported as unexpected so it gets logged
/// with its stack trace.
/// </summary>
internal static class RpcErrorMapper
{
    /// <param name="exception">What the handler threw.</param>
    /// <param name="detailedErrors">Whether unexpected exceptions show their type and message.</param>
    /// <param name="cancelledByCaller">
    /// Whether the call's own token was cancelled. Only then is a cancellation "Request cancelled";
    /// a handler's own timeout (an HttpClient's, say) is an unexpected error like any other.
    /// </param>
    /// <param name="unexpected">Set when the exception must be logged with its stack trace.</param>
    public static RpcError FromException(Exception exception, bool detailedErrors, bool cancelledByCaller, out bool unexpected)
    {
        switch (exception)
        {
            case RpcException rpc:
                unexpected = false;
                return new RpcError(rpc.Code, rpc.Message, rpc.ErrorData);
            case OperationCanceledException when cancelledByCaller:
                unexpected = false;
                return RpcError.RequestCancelled;
            default:
                unexpected = true;
                return detailedErrors
                    ? RpcError.InternalError with { Data = new ExceptionDetails(exception.GetType().FullName ?? exception.GetType().Name, exception.Message) }
                    : RpcError.InternalError;
        }
    }

    /// <summary>What detailed errors reveal: the exception's type and message, never its stack trace.</summary>
    internal sealed record ExceptionDetails(string Type, string Message);
}
