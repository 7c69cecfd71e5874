using System.Buffers;
using System.Net.WebSockets;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;

namespace ActorRpc.Client;

/// <summary>
/// One WebSocket's lifetime: a read loop that hands whole messages to the sink, and a single writer
/// loop that drains a bounded queue, so there is never more than one send on the socket.
/// </summary>
/// <remarks>
/// The read loop holds a buffer that grows up to <see cref="ActorRpcClientOptions.MaxMessageSize"/>;
/// a larger message closes the socket with 1009. Any failure of either loop ends the connection
/// (failing its calls at once); nothing a server sends can throw out of the read loop.
/// </remarks>
internal sealed class WebSocketConnection : RpcConnection
{
    /// <summary>How many messages may wait for the writer before a sender waits (a slow network pushes back on callers).</summary>
    private const int OutboxCapacity = 1024;

    private const int InitialBufferSize = 16 * 1024;

    /// <summary>How often the client pings an idle socket (before <see cref="ActorRpcClientOptions.ConfigureWebSocket"/> may change it).</summary>
    private static readonly TimeSpan KeepAliveInterval = TimeSpan.FromSeconds(15);

    private readonly ClientWebSocket _socket;
    private readonly IRpcMessageSink _sink;
    private readonly int _maxMessageSize;
    private readonly ILogger _logger;
    private readonly Channel<ReadOnlyMemory<byte>> _outbox = Channel.CreateBounded<ReadOnlyMemory<byte>>(
        new BoundedChannelOptions(OutboxCapacity) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });

    private Task _reader = Task.CompletedTask;
    private Task _writer = Task.CompletedTask;

    private WebSocketConnection(ClientWebSocket socket, IRpcMessageSink sink, int maxMessageSize, ILogger logger)
    {
        _socket = socket;
        _sink = sink;
        _maxMessageSize = maxMessageSize;
        _logger = logger;
    }

    /// <inheritdoc/>
    public override bool IsDuplex => true;

    /// <summary>Connects to <paramref name="uri"/> (asking the token now, so each reconnect sends a fresh one) and starts reading.</summary>
    public static async Task<WebSocketConnection> ConnectAsync(Uri uri, ActorRpcClientOptions options, IRpcMessageSink sink, ILogger logger, CancellationToken cancellationToken)
    {
        var socket = new ClientWebSocket();
        try
        {
            // Pings keep idle NATs and proxies from dropping the socket. No KeepAliveTimeout by default:
            // a server whose in-flight gate is full does not read, so would not answer pings in time.
            socket.Options.KeepAliveInterval = KeepAliveInterval;
            options.ConfigureWebSocket?.Invoke(socket.Options);
            var token = await AccessTokens.GetAsync(options, cancellationToken).ConfigureAwait(false);
            if (token is not null)
            {
                socket.Options.SetRequestHeader("Authorization", "Bearer " + token);
            }

            await socket.ConnectAsync(uri, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            socket.Dispose();
            throw;
        }

        var connection = new WebSocketConnection(socket, sink, options.MaxMessageSize, logger);
        connection._reader = connection.ReadLoopAsync();
        connection._writer = connection.WriteLoopAsync();
        return connection;
    }

    /// <inheritdoc/>
    public override async ValueTask SendAsync(ReadOnlyMemory<byte> message, CancellationToken cancellationToken)
    {
        try
        {
            await _outbox.Writer.WriteAsync(message, cancellationToken).ConfigureAwait(false);
        }
        catch (ChannelClosedException)
        {
            throw new RpcConnectionLostException("The connection was closed before the message could be sent.");
        }
    }

    /// <inheritdoc/>
    public override async Task CloseAsync(TimeSpan timeout)
    {
        _outbox.Writer.TryComplete();
        try
        {
            using var deadline = new CancellationTokenSource(timeout);

            // Let the writer finish what was queued (an unsubscribe, answers), then say goodbye; the
            // read loop sees the server's close frame and ends the connection.
            await _writer.WaitAsync(deadline.Token).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            if (_socket.State == WebSocketState.Open)
            {
                await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "Client closed", deadline.Token).ConfigureAwait(false);
            }

            await Ended.WaitAsync(deadline.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is OperationCanceledException or WebSocketException or ObjectDisposedException or TimeoutException)
        {
            ClientLog.CloseNotClean(_logger, ex);
        }
        finally
        {
            _socket.Abort();
            End(new ConnectionEnd("The client closed the connection.", null));
        }
    }

    /// <inheritdoc/>
    public override async ValueTask DisposeAsync()
    {
        _outbox.Writer.TryComplete();
        _socket.Abort();
        await Task.WhenAll(_reader, _writer).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        _socket.Dispose();
        await base.DisposeAsync().ConfigureAwait(false);
    }

    private async Task WriteLoopAsync()
    {
        try
        {
            await foreach (var message in _outbox.Reader.ReadAllAsync(Lifetime).ConfigureAwait(false))
            {
                await _socket.SendAsync(message, WebSocketMessageType.Text, endOfMessage: true, Lifetime).ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException && Lifetime.IsCancellationRequested)
        {
            // The connection ended first; the read loop or CloseAsync said why.
        }
        catch (Exception ex)
        {
            ClientLog.SendFailed(_logger, ex);
            _socket.Abort();
            End(new ConnectionEnd("Sending failed: " + ex.Message, ex));
        }
    }

    private async Task ReadLoopAsync()
    {
        var buffer = ArrayPool<byte>.Shared.Rent(InitialBufferSize);
        try
        {
            var count = 0;
            while (true)
            {
                if (count == buffer.Length)
                {
                    if (buffer.Length >= _maxMessageSize)
                    {
                        await CloseTooBigAsync().ConfigureAwait(false);
                        return;
                    }

                    var larger = ArrayPool<byte>.Shared.Rent(Math.Min(buffer.Length * 2, _maxMessageSize));
                    buffer.AsSpan(0, count).CopyTo(larger);
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = larger;
                }

                var room = Math.Min(buffer.Length, _maxMessageSize) - count;
                if (room <= 0)
                {
                    await CloseTooBigAsync().ConfigureAwait(false);
                    return;
                }

                var result = await _socket.ReceiveAsync(buffer.AsMemory(count, room), CancellationToken.None).ConfigureAwait(false);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    var reason = $"The server closed the connection ({(int?)_socket.CloseStatus} {_socket.CloseStatusDescription}).";
                    ClientLog.ServerClosed(_logger, (int?)_socket.CloseStatus, _socket.CloseStatusDescription);
                    _outbox.Writer.TryComplete();

                    // Calls fail at once; the close is answered before the connection is handed back
                    // as ended (and its socket disposed), so the server's handshake completes cleanly.
                    Pending.FailAll(new RpcConnectionLostException("The connection was lost before the answer came: " + reason));
                    await AnswerCloseAsync().ConfigureAwait(false);
                    End(new ConnectionEnd(reason, null));
                    return;
                }

                count += result.Count;
                if (!result.EndOfMessage)
                {
                    continue;
                }

                try
                {
                    _sink.OnMessage(this, buffer.AsMemory(0, count));
                }
#pragma warning disable CA1031 // The read loop outlives anything one message does: a failure is logged and the next message read.
                catch (Exception ex)
#pragma warning restore CA1031
                {
                    ClientLog.MessageFailed(_logger, ex);
                }

                count = 0;
            }
        }
        catch (Exception ex)
        {
            if (!IsEnded)
            {
                ClientLog.ConnectionLost(_logger, ex);
            }

            _outbox.Writer.TryComplete();
            End(new ConnectionEnd("The connection failed: " + ex.Message, ex));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private async Task CloseTooBigAsync()
    {
        ClientLog.MessageTooBig(_logger, _maxMessageSize);
        _outbox.Writer.TryComplete();
        var reason = $"The server sent a message larger than MaxMessageSize ({_maxMessageSize} bytes).";

        // Calls fail at once; the connection is handed back as ended (and its socket disposed) only
        // after the close handshake, so the server reads the 1009 rather than a reset.
        Pending.FailAll(new RpcConnectionLostException("The connection was lost before the answer came: " + reason));
        try
        {
            using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            await _socket.CloseOutputAsync(WebSocketCloseStatus.MessageTooBig, "Message too big", deadline.Token).ConfigureAwait(false);

            // Read (and drop) until the server's close, so it gets our 1009 before the socket goes;
            // aborting at once could reset the connection ahead of the close frame.
            var scratch = new byte[4096];
            while ((await _socket.ReceiveAsync(scratch, deadline.Token).ConfigureAwait(false)).MessageType != WebSocketMessageType.Close)
            {
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or WebSocketException or ObjectDisposedException)
        {
            // The socket goes away either way.
        }
        finally
        {
            _socket.Abort();
            End(new ConnectionEnd(reason, null));
        }
    }

    private async Task AnswerCloseAsync()
    {
        try
        {
            if (_socket.State == WebSocketState.CloseReceived)
            {
                using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(5));
                await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, deadline.Token).ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or WebSocketException or ObjectDisposedException)
        {
            // The server is gone already; the connection ended either way.
        }
    }
}
