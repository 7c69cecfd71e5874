using System.Net.WebSockets;

namespace ActorRpc.Gateway.Transport;

/// <summary>
/// Follows the frames of a client's WebSocket byte stream (RFC 6455 §5.2) as they are read, rewrites
/// the opcode of every text frame to binary, and remembers each data message's real type in order.
/// </summary>
/// <remarks>
/// Why: the runtime's WebSocket checks the UTF-8 of text frames inside ReceiveAsync, and on a bad
/// byte it sends its own 1007 close and aborts the socket at once, before we see anything; a client
/// still sending the rest of that message then meets a reset instead of the close frame (the
/// FuzzSpec flake of issue 11). Read as binary, the message reaches <see cref="WebSocketReader"/>,
/// which checks UTF-8 itself and closes through our own handshake: close frame, then read on to the
/// client's close. Only headers are looked at; payload bytes are skipped by count. Not thread-safe:
/// one read at a time, as a WebSocket reads.
/// </remarks>
internal sealed class WebSocketFrameScanner
{
    private const byte OpcodeMask = 0x0F;
    private const byte TextOpcode = 0x1;
    private const byte BinaryOpcode = 0x2;

    private readonly Queue<WebSocketMessageType> _messageTypes = new();
    private int _headerRead;
    private int _headerLength;
    private int _extendedLengthBytes;
    private ulong _payloadLength;
    private ulong _payloadLeft;

    /// <summary>Data messages whose first frame was read and whose type was not taken yet.</summary>
    public int Pending => _messageTypes.Count;

    /// <summary>Scans (and rewrites in place) bytes just read from the client, in the order they arrived.</summary>
    public void Scan(Span<byte> data)
    {
        var i = 0;
        while (i < data.Length)
        {
            if (_payloadLeft > 0)
            {
                var skip = (int)Math.Min(_payloadLeft, (ulong)(data.Length - i));
                i += skip;
                _payloadLeft -= (ulong)skip;
                continue;
            }

            var b = data[i];
            switch (_headerRead)
            {
                case 0:
                    // FIN, RSV1-3 and the opcode. Continuations (0) and control frames (8-10) keep theirs.
                    var opcode = b & OpcodeMask;
                    if (opcode == TextOpcode)
                    {
                        data[i] = (byte)((b & ~OpcodeMask) | BinaryOpcode);
                        _messageTypes.Enqueue(WebSocketMessageType.Text);
                    }
                    else if (opcode == BinaryOpcode)
                    {
                        _messageTypes.Enqueue(WebSocketMessageType.Binary);
                    }

                    break;
                case 1:
                    // MASK and the 7-bit length: 126 and 127 announce a 2- or 8-byte length after it.
                    var length7 = b & 0x7F;
                    _extendedLengthBytes = length7 switch { 126 => 2, 127 => 8, _ => 0 };
                    _headerLength = 2 + _extendedLengthBytes + ((b & 0x80) != 0 ? 4 : 0);
                    _payloadLength = length7 < 126 ? (ulong)length7 : 0;
                    break;
                default:
                    if (_headerRead < 2 + _extendedLengthBytes)
                    {
                        _payloadLength = (_payloadLength << 8) | b; // Network byte order.
                    }

                    break;
            }

            i++;
            _headerRead++;
            if (_headerRead >= 2 && _headerRead == _headerLength)
            {
                _payloadLeft = _payloadLength;
                _headerRead = 0;
            }
        }
    }

    /// <summary>The real type of the next data message, in the order their first frames arrived; null when none was seen.</summary>
    public WebSocketMessageType? TakeMessageType() => _messageTypes.TryDequeue(out var type) ? type : null;
}
