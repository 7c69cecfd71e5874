using System.Buffers;
using System.Net.WebSockets;
using System.Text.Unicode;
using Akka.Actor;
using ActorRpc.Actors.Sessions;
using ActorRpc.Gateway.Logging;
using Microsoft.Extensions.Logging;

namespace ActorRpc.Gateway.Transport;

/// <summary>
/// The socket side of one session. The receive loop reads whole messages (bounded by
/// MaxMessageSize), checks them, and hands them to the session actor; a single sender is the only
/// writer, draining a queue that the session fills without ever waiting.
/// </summary>
/// <remarks>
/// Idle cost: an idle connection holds no receive buffer (see <see cref="ReceiveLoopAsync"/>) and
/// no send loop. The sender runs only while frames are queued (or a close frame is due), and ends
/// when the queue is empty; the next frame starts it again (see <see cref="SendQueued"/>).
/// </remarks>
/// <remarks>
/// Bounds: replies are bounded by the in-flight limit (<see cref="InFlightGate"/>: the receive
/// loop reads no further message while MaxRequestsInFlight requests are unanswered or their
/// replies unwritten), notifications by MaxOutboundQueue (past it the session applies the
/// slow-consumer policy). So the queue, though without a capacity, never grows without end.
/// </remarks>
/// <remarks>
/// Closing: whoever decides to close (the session, the receive loop on bad input, the peer, or
/// node shutdown) calls <see cref="Close"/> once. The queue is completed, frames not yet sent are
/// dropped, the sender sends the close frame, and the receive loop discards data until the
/// peer's close frame ends the handshake. If the handshake is not done within CloseTimeout the
/// socket is aborted, so a client that never reads or never answers cannot hold the connection.
/// </remarks>
internal sealed class WebSocketConnection : ISessionTransport
{
    private const int InitialBufferSize = 4 * 1024;

    // Long enough for a close frame already written to leave the server, short enough to hold nothing.
    private static readonly TimeSpan CloseFrameLinger = TimeSpan.FromMilliseconds(100);

    private readonly WebSocket _socket;
    private readonly string _sessionId;
    private readonly RpcLimitsOptions _limits;
    private readonly RpcEndpointOptions _options;
    private readonly ILogger _logger;
    // Frames not yet written, guarded by itself, as is _sender.
    private readonly Queue<OutboundFrame> _outbound = new();
    private readonly InFlightGate _inFlight;
    private readonly CancellationTokenSource _abort = new();
    private SenderState _sender;
    // Made only when the connection ends while a send is still under way, to wait for it.
    private TaskCompletionSource? _senderStopped;
    private int _queuedNotifications;
    private long _lastActivity = Environment.TickCount64;
    // Set once; its presence is the "closing" flag, so a reader that sees closing always sees the status too.
    private CloseRequest? _close;

    public WebSocketConnection(WebSocket socket, string sessionId, RpcLimitsOptions limits, RpcEndpointOptions options, ILogger logger)
    {
        _socket = socket;
        _sessionId = sessionId;
        _limits = limits;
        _options = options;
        _logger = logger;
        _inFlight = new InFlightGate(limits.MaxRequestsInFlight);

        // One registration for the connection's life instead of a token on every receive and send:
        // a cancellable token sends ManagedWebSocket down its slow path (an async state machine and
        // a registration per frame), and all it would do on cancellation is this same Abort.
        _abort.Token.UnsafeRegister(static socket => ((WebSocket)socket!).Abort(), socket);
    }

    /// <summary>The session's id, for logs.</summary>
    public string SessionId => _sessionId;

    /// <summary>Requests read from this client and not yet answered on the wire.</summary>
    public int RequestsInFlight => _inFlight.Count;

    /// <summary>When a message last went in or out (<see cref="Environment.TickCount64"/>).</summary>
    public long LastActivity => Volatile.Read(ref _lastActivity);

    // Once closing, frames are dropped on purpose (true): only a full queue on an open connection is the client's fault.
    public bool TryNotify(byte[] frame)
    {
        if (IsClosing)
        {
            return true;
        }

        if (Interlocked.Increment(ref _queuedNotifications) > _limits.MaxOutboundQueue)
        {
            Interlocked.Decrement(ref _queuedNotifications);
            return false;
        }

        if (!Enqueue(new OutboundFrame(frame, Requests: 0)))
        {
            Interlocked.Decrement(ref _queuedNotifications); // Closing meanwhile: dropped on purpose.
        }

        return true;
    }

    public void Reply(byte[] frame, int requests)
    {
        if (!Enqueue(new OutboundFrame(frame, requests)))
        {
            _inFlight.Release(requests); // Closing: the reply is dropped, and nobody waits on the count any more.
        }
    }

    public void AddInFlight(int requests) => _inFlight.Add(requests);

    public void Release(int requests) => _inFlight.Release(requests);

    /// <summary>Whether a close was asked for; the connection ends once the handshake is done or times out.</summary>
    public bool IsClosing => Volatile.Read(ref _close) is not null;

    public void Close(WebSocketCloseStatus status, string reason)
    {
        if (Interlocked.CompareExchange(ref _close, new CloseRequest(status, reason), null) is not null)
        {
            return;
        }

        StartSender(); // It sends the close frame, dropping what is still queued.
        _inFlight.Open(); // The receive loop must read on, to the peer's close frame.
        try
        {
            _abort.CancelAfter(_options.CloseTimeout);
        }
        catch (ObjectDisposedException)
        {
            // The connection already ended.
        }
    }

    public void Complete()
    {
        // A WebSocket session ends with its connection, not after one answer.
    }

    /// <summary>Runs the connection until it is closed or lost, then stops the session.</summary>
    public async Task RunAsync(IActorRef session)
    {
        try
        {
            await ReceiveLoopAsync(session).ConfigureAwait(false);
        }
        catch (WebSocketException ex) when (ex.WebSocketErrorCode == WebSocketError.Faulted && _socket.State == WebSocketState.Aborted && !IsClosing)
        {
            // The socket itself failed the message (a text frame that is not UTF-8: 1007; a protocol
            // error: 1002). It has written its close frame and aborted; ending the connection at once
            // can drop that frame before it leaves, so the client would see a reset instead of the
            // reason. Linger, bounded. (A peer that vanished is ConnectionClosedPrematurely, not this.)
            GatewayLog.SocketFailedMessage(_logger, _sessionId, ex.Message);
            _ = Interlocked.CompareExchange(ref _close, new CloseRequest(WebSocketCloseStatus.InvalidPayloadData, string.Empty), null);
            await Task.Delay(CloseFrameLinger).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or IOException)
        {
            if (_abort.IsCancellationRequested && IsClosing)
            {
                GatewayLog.CloseTimedOut(_logger, _sessionId);
            }
            else
            {
                GatewayLog.ConnectionLost(_logger, _sessionId, ex);
            }

            _abort.Cancel();
        }
        finally
        {
            session.Tell(SessionProtocol.ConnectionClosed.Instance);
            Close(WebSocketCloseStatus.NormalClosure, string.Empty);
            Task? sender = null;
            lock (_outbound)
            {
                // Closing: no sender starts after this one, which ends with the close frame.
                if (_sender == SenderState.Running)
                {
                    sender = (_senderStopped = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).Task;
                }
            }

            if (sender is not null)
            {
                await sender.ConfigureAwait(false);
            }

            _abort.Dispose();
        }
    }

    /// <summary>
    /// Reads messages until the peer's close frame. An idle connection holds no buffer: each message
    /// starts with a zero-byte receive, which waits for the frame's header without consuming payload
    /// (and, through Kestrel, without renting a transport buffer either); only then is a buffer
    /// rented, and it goes back to the pool once the message has been handed on.
    /// </summary>
    private async Task ReceiveLoopAsync(IActorRef session)
    {
        byte[]? buffer = null;
        try
        {
            while (true)
            {
                // Backpressure: no new message while the client has MaxRequestsInFlight unanswered.
                await _inFlight.WaitForRoomAsync(_abort.Token).ConfigureAwait(false);
                var result = await _socket.ReceiveAsync(Memory<byte>.Empty, CancellationToken.None).ConfigureAwait(false);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    EchoClose();
                    return;
                }

                var length = 0;
                var tooBig = false;
                if (!result.EndOfMessage)
                {
                    buffer = ArrayPool<byte>.Shared.Rent(InitialBufferSize);
                    do
                    {
                        var capacity = Math.Min(buffer.Length, _limits.MaxMessageSize + 1);
                        if (length == capacity)
                        {
                            if (capacity > _limits.MaxMessageSize)
                            {
                                // Over the limit: keep reading to the end of the message, into the same space.
                                tooBig = true;
                                length = 0;
                            }
                            else
                            {
                                buffer = Grow(buffer, length, Math.Min(buffer.Length * 2, _limits.MaxMessageSize + 1));
                                capacity = Math.Min(buffer.Length, _limits.MaxMessageSize + 1);
                            }
                        }

                        result = await _socket.ReceiveAsync(buffer.AsMemory(length, capacity - length), CancellationToken.None).ConfigureAwait(false);
                        if (result.MessageType == WebSocketMessageType.Close)
                        {
                            EchoClose();
                            return;
                        }

                        length += result.Count;
                    }
                    while (!result.EndOfMessage);
                }

                if (!IsClosing)
                {
                    // Closing: data after our close frame is discarded until the peer's close arrives.
                    Handle(session, result.MessageType, buffer is null ? [] : buffer.AsSpan(0, length), tooBig);
                }

                if (buffer is not null)
                {
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = null;
                }
            }
        }
        finally
        {
            if (buffer is not null)
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
        }
    }

    // The peer's close: either the answer to ours, or its own, which we echo.
    private void EchoClose()
    {
        var status = _socket.CloseStatus is { } s && s != WebSocketCloseStatus.Empty ? s : WebSocketCloseStatus.NormalClosure;
        Close(status, string.Empty);
    }

    /// <summary>Checks one whole message and hands it to the session (as a copy: the buffer goes back to the pool).</summary>
    private void Handle(IActorRef session, WebSocketMessageType type, ReadOnlySpan<byte> message, bool tooBig)
    {
        if (tooBig || message.Length > _limits.MaxMessageSize)
        {
            RequestClose(WebSocketCloseStatus.MessageTooBig, $"Message exceeds {_limits.MaxMessageSize} bytes (ActorRpc:Limits:MaxMessageSize)");
        }
        else if (type == WebSocketMessageType.Binary && _options.BinaryMessages == BinaryMessageHandling.Close)
        {
            RequestClose(WebSocketCloseStatus.InvalidMessageType, "Binary messages are not supported; send JSON-RPC as text (ActorRpc:Endpoint:BinaryMessages)");
        }
        // The parser checks UTF-8 too (for HTTP bodies); here the check earns the RFC 6455 close status 1007.
        else if (!Utf8.IsValid(message))
        {
            RequestClose(WebSocketCloseStatus.InvalidPayloadData, "Message is not valid UTF-8");
        }
        else
        {
            Volatile.Write(ref _lastActivity, Environment.TickCount64);
            _inFlight.Add(1);
            session.Tell(new SessionProtocol.InboundMessage(message.ToArray()));
        }
    }

    private void RequestClose(WebSocketCloseStatus status, string reason)
    {
        GatewayLog.ClosingConnection(_logger, _sessionId, status, reason);
        Close(status, reason);
    }

    private static byte[] Grow(byte[] buffer, int length, int size)
    {
        var larger = ArrayPool<byte>.Shared.Rent(size);
        buffer.AsSpan(0, length).CopyTo(larger);
        ArrayPool<byte>.Shared.Return(buffer);
        return larger;
    }

    /// <summary>Queues a frame and makes sure a sender runs; false once closing (the frame is dropped).</summary>
    private bool Enqueue(OutboundFrame frame)
    {
        lock (_outbound)
        {
            if (IsClosing)
            {
                return false;
            }

            _outbound.Enqueue(frame);
            if (!TryClaimSenderLocked())
            {
                return true; // The running sender writes it.
            }
        }

        SendQueued();
        return true;
    }

    private void StartSender()
    {
        lock (_outbound)
        {
            if (!TryClaimSenderLocked())
            {
                return;
            }
        }

        SendQueued();
    }

    private bool TryClaimSenderLocked()
    {
        if (_sender != SenderState.Idle)
        {
            return false;
        }

        _sender = SenderState.Running;
        return true;
    }

    /// <summary>
    /// The sender: writes queued frames until the queue is empty (then the next frame starts it
    /// again) or the connection is closing (then it drops the rest and sends the close frame).
    /// It runs on the thread that queued the first frame, the session actor's included, for as long
    /// as each send completes at once, which is the common case (the frame is copied into Kestrel's
    /// output pipe and the socket is written by Kestrel's own loop); a send that has to wait (the
    /// pipe is full: the client reads slowly) continues on the thread pool, so no caller ever waits
    /// on the socket, and no thread-pool hop is paid for a frame that needed none.
    /// </summary>
    private void SendQueued()
    {
        while (true)
        {
            OutboundFrame outbound;
            lock (_outbound)
            {
                if (IsClosing)
                {
                    _outbound.Clear();
                    break;
                }

                if (!_outbound.TryDequeue(out outbound))
                {
                    _sender = SenderState.Idle;
                    return;
                }
            }

            if (outbound.Requests == 0)
            {
                Interlocked.Decrement(ref _queuedNotifications);
            }

            ValueTask send;
            try
            {
                send = _socket.SendAsync(outbound.Frame.AsMemory(), WebSocketMessageType.Text, endOfMessage: true, CancellationToken.None);
            }
            catch (Exception ex) when (IsSocketFailure(ex))
            {
                SenderFailed();
                return;
            }

            if (!send.IsCompletedSuccessfully)
            {
                _ = SendWhenReadyAsync(send, outbound);
                return;
            }

            Sent(outbound);
        }

        _ = SendCloseFrameAsync();
    }

    /// <summary>A send that could not complete at once: waits for it off the caller's thread, then goes on with the queue.</summary>
    private async Task SendWhenReadyAsync(ValueTask send, OutboundFrame outbound)
    {
        try
        {
            await send.ConfigureAwait(false);
        }
        catch (Exception ex) when (IsSocketFailure(ex))
        {
            SenderFailed();
            return;
        }

        Sent(outbound);
        SendQueued();
    }

    private void Sent(OutboundFrame outbound)
    {
        Volatile.Write(ref _lastActivity, Environment.TickCount64);
        if (outbound.Requests > 0)
        {
            _inFlight.Release(outbound.Requests);
        }
    }

    private async Task SendCloseFrameAsync()
    {
        try
        {
            if (Volatile.Read(ref _close) is { } close && _socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
            {
                await _socket.CloseOutputAsync(close.Status, Truncate(close.Reason), _abort.Token).ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (IsSocketFailure(ex))
        {
            _socket.Abort();
        }

        SenderStopped();
    }

    // The connection is lost (or aborted): nothing more is written, and the sender never runs again.
    private void SenderFailed()
    {
        _socket.Abort();
        SenderStopped();
    }

    private void SenderStopped()
    {
        TaskCompletionSource? waiting;
        lock (_outbound)
        {
            _sender = SenderState.Stopped;
            waiting = _senderStopped;
        }

        waiting?.TrySetResult();
    }

    private static bool IsSocketFailure(Exception ex) =>
        ex is WebSocketException or OperationCanceledException or IOException or ObjectDisposedException;

    // A close frame's reason must fit in 123 UTF-8 bytes; ours are ASCII.
    private static string Truncate(string reason) => reason.Length <= 123 ? reason : reason[..123];

    private sealed record CloseRequest(WebSocketCloseStatus Status, string Reason);

    /// <summary>Idle: nothing queued; Running: one sender writes (only one ever does); Stopped: closed or lost, for good.</summary>
    private enum SenderState : byte
    {
        Idle,
        Running,
        Stopped,
    }

    /// <summary>A frame to write; <paramref name="Requests"/> is how many requests it answers (0 for a notification).</summary>
    private readonly record struct OutboundFrame(byte[] Frame, int Requests);
}
