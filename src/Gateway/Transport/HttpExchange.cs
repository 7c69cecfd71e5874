using ActorRpc.Actors.Sessions;

namespace ActorRpc.Gateway.Transport;

/// <summary>
/// The transport of one HTTP POST: the session's single frame (or none) becomes the response body.
/// One message per request, so there is nothing to count here: the endpoint counts the POST against
/// MaxConnections until its session ends (every handler finished), and the session counts its
/// handlers against MaxNodeHandlers, as on a WebSocket.
/// </summary>
internal sealed class HttpExchange : ISessionTransport
{
    private readonly TaskCompletionSource<HttpExchangeResult> _result = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private ResponseFrame? _frame;

    public Task<HttpExchangeResult> Result => _result.Task;

    // HTTP has no notifications to push: the session never subscribes on an exchange.
    public bool TryNotify(byte[] frame, out OutboundLimit refusedBy)
    {
        refusedBy = OutboundLimit.None;
        return true;
    }

    // Kept as it is, pooled or not (a batch's is pooled): the endpoint writes it to the response and
    // then returns it, so a batch's answer is never copied. Bounded by MaxResponseSize.
    public void Reply(ResponseFrame frame, int requests, long messageBytes = 0)
    {
        if (_frame is null)
        {
            _frame = frame;
        }
        else
        {
            frame.Return();
        }
    }

    public void AddInFlight(int requests)
    {
    }

    public void Release(int requests, long messageBytes = 0)
    {
    }

    // An exchange is never called by the server (its session answers NotSupported first).
    public void AwaitAnswers(int change)
    {
    }

    // Whatever the reason, the exchange has no answer to give: the endpoint turns it into a 500. (A slow
    // consumer cannot happen here, since an exchange never queues notifications.)
    // A frame kept for an answer that will not be written goes back here (only if the exchange had not
    // completed: a completed one's frame belongs to the endpoint now).
    public void Close(SessionCloseReason reason)
    {
        if (_result.TrySetResult(new HttpExchangeResult(null, Failed: true)))
        {
            _frame?.Return();
            _frame = null;
        }
    }

    public void Complete() => _result.TrySetResult(new HttpExchangeResult(_frame, Failed: false));
}

/// <summary>How an HTTP exchange ended.</summary>
/// <param name="Body">
/// The response frame; null when the message held only notifications. Its reader writes it and then
/// returns it (<see cref="ResponseFrame.Return"/>).
/// </param>
/// <param name="Failed">The session failed before answering.</param>
internal sealed record HttpExchangeResult(ResponseFrame? Body, bool Failed);
