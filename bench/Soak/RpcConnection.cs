using System.Buffers;
using System.Collections.Concurrent;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;

namespace ActorRpc.Bench.Soak;

/// <summary>A JSON-RPC reply: its raw result, or its error code.</summary>
internal readonly record struct RpcReply(string? Result, int? ErrorCode)
{
    public bool IsError => ErrorCode is not null;
}

/// <summary>The connection closed (or failed) before the reply came.</summary>
internal sealed class ConnectionLostException(string message) : Exception(message);

/// <summary>
/// One client WebSocket: pipelined calls matched to replies by id, and notifications handed to a
/// callback on the receive loop. One send at a time (a ClientWebSocket allows no more).
/// </summary>
internal sealed class RpcConnection : IAsyncDisposable
{
    private readonly ClientWebSocket _socket;
    private readonly ConcurrentDictionary<long, TaskCompletionSource<RpcReply>> _pending = new();
    private readonly SemaphoreSlim _sendLock = new(1, 1);
    private readonly Action<string, JsonElement>? _onNotification;
    private readonly CancellationTokenSource _stop = new();
    private readonly TaskCompletionSource<string> _closed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long _nextId;
    private volatile bool _closing;
    private Task _receive = Task.CompletedTask;

    private RpcConnection(ClientWebSocket socket, int node, Action<string, JsonElement>? onNotification)
    {
        _socket = socket;
        Node = node;
        _onNotification = onNotification;
    }

    public int Node { get; }

    /// <summary>Completes with the reason once the connection is gone, by either side.</summary>
    public Task<string> Closed => _closed.Task;

    public bool IsOpen => !_closed.Task.IsCompleted && _socket.State == WebSocketState.Open;

    public int Outstanding => _pending.Count;

    public static async Task<RpcConnection> ConnectAsync(ClusterNode node, Action<string, JsonElement>? onNotification, CancellationToken cancellationToken)
    {
        var socket = new ClientWebSocket();
        socket.Options.KeepAliveInterval = TimeSpan.Zero;
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromSeconds(10));
            await socket.ConnectAsync(node.WebSocketUri, timeout.Token).ConfigureAwait(false);
        }
        catch
        {
            socket.Dispose();
            throw;
        }

        var connection = new RpcConnection(socket, node.Index, onNotification);
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

    public async Task SendTextAsync(string text, CancellationToken cancellationToken)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        await _sendLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await _socket.SendAsync(bytes, WebSocketMessageType.Text, endOfMessage: true, cancellationToken).ConfigureAwait(false);
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
        var buffer = new ArrayBufferWriter<byte>(16 * 1024);
        var reason = "closed";
        try
        {
            while (true)
            {
                buffer.ResetWrittenCount();
                ValueWebSocketReceiveResult result;
                do
                {
                    result = await _socket.ReceiveAsync(buffer.GetMemory(8 * 1024), _stop.Token).ConfigureAwait(false);
                    buffer.Advance(result.Count);
                }
                while (!result.EndOfMessage && result.MessageType != WebSocketMessageType.Close);

                if (result.MessageType == WebSocketMessageType.Close)
                {
                    // Our own close handshake ends here too, with the server's echo of our close frame.
                    reason = _closing ? "closed by the client" : $"closed by the server ({_socket.CloseStatus} {_socket.CloseStatusDescription})";
                    break;
                }

                Dispatch(buffer.WrittenSpan);
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
                SoakStats.Instance.UnmatchedReply(Node, message.GetRawText());
            }

            return;
        }

        if (message.TryGetProperty("method", out var method) && method.GetString() is { } topic)
        {
            _onNotification?.Invoke(topic, message.TryGetProperty("params", out var p) ? p : default);
        }
    }
}
