using System.Collections.Concurrent;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;

namespace ActorRpc.Bench.Common;

/// <summary>A JSON-RPC reply: its raw result, or its error code.</summary>
public readonly record struct RpcReply(string? Result, int? ErrorCode)
{
    /// <summary>The reply is an error object (then <see cref="ErrorCode"/> holds its code).</summary>
    public bool IsError => ErrorCode is not null;
}

/// <summary>The connection closed (or failed) before the reply came.</summary>
public sealed class ConnectionLostException(string message) : Exception(message);

/// <summary>
/// One client WebSocket: pipelined calls matched to replies by id, and notifications handed to a
/// callback on the receive loop. One send at a time (a ClientWebSocket allows no more). Built on
/// <see cref="WsClient"/>, which tools that read raw frames use directly.
/// </summary>
public sealed class RpcConnection : IAsyncDisposable
{
    private readonly ClientWebSocket _socket;
    private readonly ConcurrentDictionary<long, TaskCompletionSource<RpcReply>> _pending = new();
    private readonly SemaphoreSlim _sendLock = new(1, 1);
    private readonly Action<string, JsonElement>? _onNotification;
    private readonly Action<string>? _onUnmatchedReply;
    private readonly CancellationTokenSource _stop = new();
    private readonly TaskCompletionSource<string> _closed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long _nextId;
    private volatile bool _closing;
    private Task _receive = Task.CompletedTask;

    private RpcConnection(ClientWebSocket socket, Action<string, JsonElement>? onNotification, Action<string>? onUnmatchedReply)
    {
        _socket = socket;
        _onNotification = onNotification;
        _onUnmatchedReply = onUnmatchedReply;
    }

    /// <summary>Completes with the reason once the connection is gone, by either side.</summary>
    public Task<string> Closed => _closed.Task;

    /// <summary>Open from both sides as far as this client knows.</summary>
    public bool IsOpen => !_closed.Task.IsCompleted && _socket.State == WebSocketState.Open;

    /// <summary>
    /// Connects and starts the receive loop. <paramref name="onNotification"/> gets each message without an
    /// id (method and params); <paramref name="onUnmatchedReply"/> the raw text of a reply whose id no
    /// pending call has.
    /// </summary>
    public static async Task<RpcConnection> ConnectAsync(
        Uri uri, WsClientOptions options, Action<string, JsonElement>? onNotification, Action<string>? onUnmatchedReply, CancellationToken cancellationToken)
    {
        var socket = await WsClient.ConnectAsync(uri, options, cancellationToken).ConfigureAwait(false);
        var connection = new RpcConnection(socket, onNotification, onUnmatchedReply);
        connection._receive = Task.Run(connection.ReceiveLoopAsync, CancellationToken.None);
        return connection;
    }

    /// <summary>
    /// Sends a request and returns a task for its reply. The task fails with
    /// <see cref="ConnectionLostException"/> if the connection goes first; it never times out by
    /// itself (the caller decides what is late).
    /// </summary>
    public async Task<Task<RpcReply>> SendRequestAsync(string method, string? paramsJson, CancellationToken cancellationToken)
    {
        var id = Interlocked.Increment(ref _nextId);
        var reply = new TaskCompletionSource<RpcReply>(TaskCreationOptions.RunContinuationsAsynchronously);
        _pending[id] = reply;
        var text = paramsJson is null
            ? $$"""{"jsonrpc":"2.0","method":"{{method}}","id":{{id}}}"""
            : $$"""{"jsonrpc":"2.0","method":"{{method}}","params":{{paramsJson}},"id":{{id}}}""";
        try
        {
            await SendTextAsync(text, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is WebSocketException or ObjectDisposedException or InvalidOperationException or OperationCanceledException)
        {
            _pending.TryRemove(id, out _);
            throw new ConnectionLostException($"send failed: {ex.Message}");
        }

        // The receive loop may have ended between the add and the send.
        if (_closed.Task.IsCompleted && _pending.TryRemove(id, out _))
        {
            reply.TrySetException(new ConnectionLostException(_closed.Task.Result));
        }

        return reply.Task;
    }

    /// <summary>Sends a request and waits for its reply up to <paramref name="timeout"/> (then <see cref="TimeoutException"/>).</summary>
    public async Task<RpcReply> CallAsync(string method, string? paramsJson, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var reply = await SendRequestAsync(method, paramsJson, cancellationToken).ConfigureAwait(false);
        return await reply.WaitAsync(timeout, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Sends one text message (a notification, or a request whose reply the caller does not wait for).</summary>
    public async Task SendTextAsync(string text, CancellationToken cancellationToken)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        await _sendLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await WsClient.SendAsync(_socket, bytes, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _sendLock.Release();
        }
    }

    /// <summary>Drops the connection without a close handshake (the TCP connection is reset).</summary>
    public void Abort()
    {
        _closing = true;
        _socket.Abort();
        _closed.TrySetResult("aborted by the client");
    }

    /// <summary>A clean close: the close handshake, bounded to a few seconds, then abort.</summary>
    public async Task CloseAsync()
    {
        _closing = true;
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            await _socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "bye", timeout.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or ObjectDisposedException)
        {
            _socket.Abort();
        }

        _closed.TrySetResult("closed by the client");
    }

    /// <summary>Resets the connection, waits (bounded) for the receive loop to end, and frees the socket.</summary>
    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        _socket.Abort();
        try
        {
            await _receive.WaitAsync(TimeSpan.FromSeconds(5)).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
        }

        _socket.Dispose();
        _stop.Dispose();
        _sendLock.Dispose();
    }

    private async Task ReceiveLoopAsync()
    {
        var buffer = new FrameBuffer(16 * 1024);
        var reason = "closed";
        try
        {
            while (true)
            {
                var count = await WsClient.ReceiveMessageAsync(_socket, buffer, _stop.Token).ConfigureAwait(false);
                if (count < 0)
                {
                    // Our own close handshake ends here too, with the server's echo of our close frame.
                    reason = _closing ? "closed by the client" : $"closed by the server ({_socket.CloseStatus} {_socket.CloseStatusDescription})";
                    break;
                }

                Dispatch(buffer.Bytes.AsSpan(0, count));
            }
        }
        catch (OperationCanceledException)
        {
            reason = "disposed";
        }
        catch (Exception ex) when (ex is WebSocketException or ObjectDisposedException or IOException)
        {
            reason = _closing ? "closed by the client" : $"connection failed: {ex.Message}";
        }
        finally
        {
            _closed.TrySetResult(reason);
            foreach (var id in _pending.Keys)
            {
                if (_pending.TryRemove(id, out var pending))
                {
                    pending.TrySetException(new ConnectionLostException(reason));
                }
            }
        }
    }

    private void Dispatch(ReadOnlySpan<byte> frame)
    {
        var reader = new Utf8JsonReader(frame);
        using var document = JsonDocument.ParseValue(ref reader);
        if (document.RootElement.ValueKind == JsonValueKind.Array)
        {
            foreach (var element in document.RootElement.EnumerateArray())
            {
                DispatchOne(element);
            }
        }
        else
        {
            DispatchOne(document.RootElement);
        }
    }

    private void DispatchOne(JsonElement message)
    {
        if (message.TryGetProperty("id", out var idElement))
        {
            if (idElement.ValueKind == JsonValueKind.Number && idElement.TryGetInt64(out var id) && _pending.TryRemove(id, out var pending))
            {
                pending.TrySetResult(message.TryGetProperty("error", out var error)
                    ? new RpcReply(null, error.TryGetProperty("code", out var code) && code.TryGetInt32(out var c) ? c : int.MinValue)
                    : new RpcReply(message.TryGetProperty("result", out var result) ? result.GetRawText() : "null", null));
            }
            else
            {
                _onUnmatchedReply?.Invoke(message.GetRawText());
            }

            return;
        }

        if (message.TryGetProperty("method", out var method) && method.GetString() is { } topic)
        {
            _onNotification?.Invoke(topic, message.TryGetProperty("params", out var p) ? p : default);
        }
    }
}
