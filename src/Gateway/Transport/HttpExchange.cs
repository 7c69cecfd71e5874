using System.Net.WebSockets;
using ActorRpc.Actors.Sessions;

namespace ActorRpc.Gateway.Transport;

/// <summary>
/// The transport of one HTTP POST: the session's single frame (or none) becomes the response body.
/// </summary>
internal sealed class HttpExchange : ISessionTransport
{
    private readonly TaskCompletionSource<HttpExchangeResult> _result = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private byte[]? _frame;

    public Task<HttpExchangeResult> Result => _result.Task;

    public bool TrySend(byte[] frame)
    {
        _frame ??= frame;
        return true;
    }

    public void Close(WebSocketCloseStatus status, string reason) => _result.TrySetResult(new HttpExchangeResult(null, Failed: true));

    public void Complete() => _result.TrySetResult(new HttpExchangeResult(_frame, Failed: false));
}

/// <summary>How an HTTP exchange ended.</summary>
/// <param name="Body">The response frame; null when the message held only notifications.</param>
/// <param name="Failed">The session failed before answering.</param>
internal sealed record HttpExchangeResult(byte[]? Body, bool Failed);
