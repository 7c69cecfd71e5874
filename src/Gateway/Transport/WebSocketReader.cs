using System.Buffers;
using System.Net.WebSockets;
using System.Text.Unicode;
using Akka.Actor;
using ActorRpc.Actors.Sessions;

namespace ActorRpc.Gateway.Transport;

/// <summary>
/// The receive side of one WebSocket: reads whole messages (bounded by MaxMessageSize), checks
/// them (size: 1009, binary: 1003, UTF-8: 1007), and hands each good one to the session actor.
/// Closes it finds go to its <see cref="IWebSocketReaderOwner"/>, which decides what to send.
/// </summary>
/// <remarks>
/// Idle cost: an idle connection holds no receive buffer (see <see cref="ReadAsync"/>).
/// </remarks>
internal sealed class WebSocketReader
{
    private const int InitialBufferSize = 4 * 1024;

    private readonly WebSocket _socket;
    private readonly IWebSocketReaderOwner _owner;
    private readonly InFlightGate _inFlight;
    private readonly int _maxMessageSize;
    private readonly BinaryMessageHandling _binaryMessages;
    private readonly WebSocketFrameScanner? _frames;
    private long _lastReceived = Environment.TickCount64;
    // When the message being read began (Environment.TickCount64), 0 when none is: read by the idle sweep for MessageTimeout.
    private long _messageStarted;

    public WebSocketReader(WebSocket socket, IWebSocketReaderOwner owner, InFlightGate inFlight, RpcLimitsOptions limits, RpcEndpointOptions options, WebSocketFrameScanner? frames = null)
    {
        _frames = frames;
        _socket = socket;
        _owner = owner;
        _inFlight = inFlight;
        _maxMessageSize = limits.MaxMessageSize;
        _binaryMessages = options.BinaryMessages;
    }

    /// <summary>When a message was last handed to the session (<see cref="Environment.TickCount64"/>).</summary>
    public long LastReceived => Volatile.Read(ref _lastReceived);

    /// <summary>
    /// When the first frame of a message still being read arrived (<see cref="Environment.TickCount64"/>),
    /// or 0 when no message is partly read: a message that fits its first frame is never partial.
    /// </summary>
    public long MessageStarted => Volatile.Read(ref _messageStarted);

    /// <summary>
    /// Reads messages until the peer's close frame. An idle connection holds no buffer: each message
    /// starts with a zero-byte receive, which waits for the frame's header without consuming payload
    /// (and, through Kestrel, without renting a transport buffer either); only then is a buffer
    /// rented, and it goes back to the pool once the message has been handed on.
    /// </summary>
    /// <param name="session">The session actor that gets each message.</param>
    /// <param name="abort">Cancelled when the connection is aborted; ends a wait for room.</param>
    public async Task ReadAsync(IActorRef session, CancellationToken abort)
    {
        byte[]? buffer = null;
        try
        {
            while (true)
            {
                // Backpressure: no new message while the client has MaxRequestsInFlight unanswered.
                await _inFlight.WaitForRoomAsync(abort).ConfigureAwait(false);
                var result = await _socket.ReceiveAsync(Memory<byte>.Empty, CancellationToken.None).ConfigureAwait(false);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    _owner.PeerClosed(_socket.CloseStatus);
                    return;
                }

                // The socket may read text frames as binary (WebSocketFrameScanner); the frame said what it was.
                var type = _frames?.TakeMessageType() ?? result.MessageType;
                var length = 0;
                var tooBig = false;
                if (!result.EndOfMessage)
                {
                    // Its deadline (MessageTimeout) runs from here; never 0, which means "none".
                    Volatile.Write(ref _messageStarted, Math.Max(1, Environment.TickCount64));
                    buffer = ArrayPool<byte>.Shared.Rent(InitialBufferSize);
                    do
                    {
                        var capacity = Math.Min(buffer.Length, _maxMessageSize + 1);
                        if (length == capacity)
                        {
                            if (capacity > _maxMessageSize)
                            {
                                // Over the limit: keep reading to the end of the message, into the same space.
                                tooBig = true;
                                length = 0;
                            }
                            else
                            {
                                buffer = Grow(buffer, length, Math.Min(buffer.Length * 2, _maxMessageSize + 1));
                                capacity = Math.Min(buffer.Length, _maxMessageSize + 1);
                            }
                        }

                        result = await _socket.ReceiveAsync(buffer.AsMemory(length, capacity - length), CancellationToken.None).ConfigureAwait(false);
                        if (result.MessageType == WebSocketMessageType.Close)
                        {
                            _owner.PeerClosed(_socket.CloseStatus);
                            return;
                        }

                        length += result.Count;
                    }
                    while (!result.EndOfMessage);
                    Volatile.Write(ref _messageStarted, 0);
                }

                if (!_owner.IsClosing)
                {
                    // Closing: data after our close frame is discarded until the peer's close arrives.
                    Handle(session, type, buffer is null ? [] : buffer.AsSpan(0, length), tooBig);
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

    /// <summary>Checks one whole message and hands it to the session (as a copy: the buffer goes back to the pool).</summary>
    private void Handle(IActorRef session, WebSocketMessageType type, ReadOnlySpan<byte> message, bool tooBig)
    {
        if (tooBig || message.Length > _maxMessageSize)
        {
            _owner.Refuse(WebSocketCloseStatus.MessageTooBig, $"Message exceeds {_maxMessageSize} bytes (ActorRpc:Limits:MaxMessageSize)");
        }
        else if (type == WebSocketMessageType.Binary && _binaryMessages == BinaryMessageHandling.Close)
        {
            _owner.Refuse(WebSocketCloseStatus.InvalidMessageType, "Binary messages are not supported; send JSON-RPC as text (ActorRpc:Endpoint:BinaryMessages)");
        }
        // The parser checks UTF-8 too (for HTTP bodies); here the check earns the RFC 6455 close status 1007,
        // sent through our own closing handshake (text frames reach us as binary: WebSocketFrameScanner).
        else if (!Utf8.IsValid(message))
        {
            _owner.Refuse(WebSocketCloseStatus.InvalidPayloadData, "Message is not valid UTF-8");
        }
        else
        {
            Volatile.Write(ref _lastReceived, Environment.TickCount64);
            _inFlight.Add(1, message.Length); // Bytes too: released with the message's last entry (see ISessionTransport).
            session.Tell(new SessionProtocol.InboundMessage(message.ToArray()));
        }
    }

    private static byte[] Grow(byte[] buffer, int length, int size)
    {
        var larger = ArrayPool<byte>.Shared.Rent(size);
        buffer.AsSpan(0, length).CopyTo(larger);
        ArrayPool<byte>.Shared.Return(buffer);
        return larger;
    }
}
