using System.Net.WebSockets;
using Akka.Actor;
using ActorRpc.Actors.Sessions;
using ActorRpc.Gateway.Logging;

namespace ActorRpc.Gateway.Transport;

/// <summary>
/// The socket side of one session: its life cycle. A <see cref="WebSocketReader"/> reads and
/// checks messages and hands them to the session actor; a <see cref="WebSocketSender"/> is the
/// only writer, draining a queue that the session fills without ever waiting. Both share one
/// <see cref="InFlightGate"/>: the sender releases what the reader waits for.
/// </summary>
/// <remarks>
/// Idle cost: an idle connection holds no receive buffer and no send task (see the reader and the sender).
/// </remarks>
/// <remarks>
/// Memory: the gate bounds the bytes of messages in flight (MaxInFlightBytes), the sender the bytes
/// queued to be written (MaxOutboundBytes), both counted also in the node's <see cref="NodeBufferBudget"/>;
/// a partial message is bounded in time by MessageTimeout (<see cref="ConnectionDeadlineSweeper"/>).
/// When the connection ends, the gate gives the node back whatever is still counted.
/// </remarks>
/// <remarks>
/// Closing: whoever decides to close (the session, the reader on bad input, the peer, or node
/// shutdown) calls <see cref="Close(WebSocketCloseStatus, string)"/> once. The queue is
/// completed, frames not yet sent are dropped, the sender sends the close frame, and the reader
/// discards data until the peer's close frame ends the handshake. If the handshake is not done
/// within CloseTimeout the socket is aborted, so a client that never reads or never answers
/// cannot hold the connection.
/// </remarks>
internal sealed class WebSocketConnection : ISessionTransport, IWebSocketReaderOwner
{
    private const string SessionFailedReason = "Session failed";

    // Long enough for a close frame already written to leave the server, short enough to hold nothing.
    private static readonly TimeSpan CloseFrameLinger = TimeSpan.FromMilliseconds(100);

    private readonly WebSocket _socket;
    private readonly string _sessionId;
    private readonly RpcEndpointOptions _options;
    private readonly ILogger _logger;
    private readonly InFlightGate _inFlight;
    private readonly CancellationTokenSource _abort = new();
    private readonly WebSocketSender _sender;
    private readonly WebSocketReader _reader;

    /// <param name="socket">The accepted WebSocket.</param>
    /// <param name="sessionId">The session's id, for logs.</param>
    /// <param name="limits">Message size, requests in flight and outbound queue limits.</param>
    /// <param name="options">The endpoint's options.</param>
    /// <param name="logger">Where the connection logs.</param>
    /// <param name="node">The node's byte budget (MaxNodeBufferedBytes), shared by every connection.</param>
    /// <param name="frames">The real message types when the socket reads text frames as binary (an HTTP/1.1 upgrade); null when it reads them as sent.</param>
    public WebSocketConnection(WebSocket socket, string sessionId, RpcLimitsOptions limits, RpcEndpointOptions options, ILogger logger, NodeBufferBudget node, WebSocketFrameScanner? frames = null)
    {
        _socket = socket;
        _sessionId = sessionId;
        _options = options;
        _logger = logger;
        _inFlight = new InFlightGate(limits.MaxRequestsInFlight, limits.MaxInFlightBytes, node);
        _sender = new WebSocketSender(socket, _inFlight, limits.MaxOutboundQueue, limits.MaxOutboundBytes, node, _abort.Token);
        _reader = new WebSocketReader(socket, this, _inFlight, limits, options, frames);

        // One registration for the connection's life instead of a token on every receive and send:
        // a cancellable token sends ManagedWebSocket down its slow path (an async state machine and
        // a registration per frame), and all it would do on cancellation is this same Abort.
        _abort.Token.UnsafeRegister(static socket => ((WebSocket)socket!).Abort(), socket);
    }

    /// <summary>The session's id, for logs.</summary>
    public string SessionId => _sessionId;

    /// <summary>When a message last went in or out (<see cref="Environment.TickCount64"/>).</summary>
    public long LastActivity => Math.Max(_reader.LastReceived, _sender.LastSent);

    /// <summary>When the first frame of a message still being read arrived, or 0 (see <see cref="WebSocketReader.MessageStarted"/>).</summary>
    public long MessageStarted => _reader.MessageStarted;

    /// <summary>The bytes of frames queued to be written (MaxOutboundBytes).</summary>
    public long QueuedBytes => _sender.QueuedBytes;

    /// <summary>Whether reading is paused: the reader waits for messages in flight (or the node's buffers) to make room.</summary>
    public bool IsReadingPaused => _inFlight.IsWaiting;

    /// <summary>The bytes of messages read and not yet finished (MaxInFlightBytes).</summary>
    public long InFlightBytes => _inFlight.Bytes;

    /// <summary>Whether a close was asked for; the connection ends once the handshake is done or times out.</summary>
    public bool IsClosing => _sender.IsClosing;

    public bool TryNotify(byte[] frame, out OutboundLimit refusedBy) => _sender.TryNotify(frame, out refusedBy);

    public void Reply(ResponseFrame frame, int requests, long messageBytes = 0) => _sender.Reply(frame, requests, messageBytes);

    public void AddInFlight(int requests) => _inFlight.Add(requests);

    public void AwaitAnswers(int change) => _inFlight.AwaitAnswers(change);

    public void Release(int requests, long messageBytes = 0) => _inFlight.Release(requests, messageBytes);

    // The session speaks of what went wrong; the close status and the words the client reads are ours.
    public void Close(SessionCloseReason reason)
    {
        switch (reason)
        {
            case SessionCloseReason.SlowConsumer:
                // Which budget it passed: the queue's length, its bytes, or the node's.
                Close(WebSocketCloseStatus.PolicyViolation, $"Too slow: outbound queue full ({_sender.RefusedBy})");
                break;
            default:
                Close(WebSocketCloseStatus.InternalServerError, SessionFailedReason);
                break;
        }
    }

    /// <summary>Closes with <paramref name="status"/> (the Gateway's own closes: limits, idle, shutdown); only the first close counts.</summary>
    public void Close(WebSocketCloseStatus status, string reason)
    {
        if (!_sender.TryClose(status, reason))
        {
            return;
        }

        _inFlight.Open(); // The reader must read on, to the peer's close frame.
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
    /// <param name="session">The session actor that gets the client's messages.</param>
    public async Task RunAsync(IActorRef session)
    {
        try
        {
            await _reader.ReadAsync(session, _abort.Token).ConfigureAwait(false);
        }
        catch (WebSocketException ex) when (ex.WebSocketErrorCode == WebSocketError.Faulted && _socket.State == WebSocketState.Aborted && !IsClosing)
        {
            // The socket itself failed the message: a protocol error (1002), or, on a socket that reads
            // text frames as sent (HTTP/2), a text frame that is not UTF-8 (1007; HTTP/1.1 sockets read
            // them as binary and leave UTF-8 to our reader, see WebSocketFrameScanner). It has written
            // its close frame and aborted, and we cannot run the handshake through it. Ending the
            // connection at once can drop that frame before it leaves. Linger, bounded. (Holding the
            // connection until the peer leaves was tried and measured: the peer waits for the server to
            // close first, and the fuzz run fell from ~28,000 to ~5,000 cases in 45 s.)
            // (A peer that vanished is ConnectionClosedPrematurely, not this.)
            GatewayLog.SocketFailedMessage(_logger, _sessionId, ex.Message);
            Close(WebSocketCloseStatus.InvalidPayloadData, string.Empty); // Closing: the socket wrote its own frame; ours is not sent.
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
            await _sender.WhenStoppedAsync().ConfigureAwait(false);
            _inFlight.End(); // The node gets back the bytes of messages the session will never settle.
            _abort.Dispose();
        }
    }

    // The peer's close: either the answer to ours, or its own, which we echo.
    void IWebSocketReaderOwner.PeerClosed(WebSocketCloseStatus? status) =>
        Close(status is { } s && s != WebSocketCloseStatus.Empty ? s : WebSocketCloseStatus.NormalClosure, string.Empty);

    void IWebSocketReaderOwner.Refuse(WebSocketCloseStatus status, string reason)
    {
        GatewayLog.ClosingConnection(_logger, _sessionId, status, reason);
        Close(status, reason);
    }
}
