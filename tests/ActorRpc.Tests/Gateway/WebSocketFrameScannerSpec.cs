using System.Net.WebSockets;
using ActorRpc.Gateway.Transport;

namespace ActorRpc.Tests.Gateway;

/// <summary>
/// The scanner that lets our reader, not the runtime's socket, judge a text message's UTF-8: text
/// frames become binary, every data message's real type is kept in order, payloads are skipped
/// whatever their length, and a header split across reads is followed.
/// </summary>
public sealed class WebSocketFrameScannerSpec
{
    [Fact]
    public void Scan_MaskedTextFrame_OpcodeBinaryAndTypeText()
    {
        var frame = ClientFrame(0x81, "hi"u8.ToArray());
        var scanner = new WebSocketFrameScanner();
        scanner.Scan(frame);

        Assert.Equal(0x82, frame[0]); // FIN kept, opcode 2.
        Assert.Equal(WebSocketMessageType.Text, scanner.TakeMessageType());
        Assert.Null(scanner.TakeMessageType());
    }

    [Fact]
    public void Scan_BinaryThenFragmentedTextWithPingBetween_TypesInOrderContinuationsUntouched()
    {
        var binary = ClientFrame(0x82, [1, 2, 3]);
        var textStart = ClientFrame(0x01, "a"u8.ToArray()); // FIN clear: more frames follow.
        var ping = ClientFrame(0x89, []);
        var continuation = ClientFrame(0x80, "b"u8.ToArray());
        byte[] stream = [.. binary, .. textStart, .. ping, .. continuation];
        var scanner = new WebSocketFrameScanner();
        scanner.Scan(stream);

        Assert.Equal(0x82, stream[0]);
        Assert.Equal(0x02, stream[binary.Length]);
        Assert.Equal(0x89, stream[binary.Length + textStart.Length]);
        Assert.Equal(0x80, stream[binary.Length + textStart.Length + ping.Length]);
        Assert.Equal(WebSocketMessageType.Binary, scanner.TakeMessageType());
        Assert.Equal(WebSocketMessageType.Text, scanner.TakeMessageType());
        Assert.Null(scanner.TakeMessageType());
    }

    [Theory]
    [InlineData(125)]
    [InlineData(126)]
    [InlineData(65_535)]
    [InlineData(65_536)]
    [InlineData(200_000)]
    public void Scan_PayloadOfAnyLengthByteByByte_NextHeaderFound(int length)
    {
        var payload = new byte[length];
        Array.Fill(payload, (byte)0x81); // Payload bytes that look like text headers must not be taken for one.
        byte[] stream = [.. ClientFrame(0x81, payload), .. ClientFrame(0x81, "x"u8.ToArray())];
        var scanner = new WebSocketFrameScanner();
        for (var i = 0; i < stream.Length; i++)
        {
            scanner.Scan(stream.AsSpan(i, 1));
        }

        Assert.Equal(2, scanner.Pending);
        Assert.Equal(0x82, stream[0]);
        Assert.Equal(0x82, stream[stream.Length - ClientFrame(0x81, "x"u8.ToArray()).Length]);
        Assert.All(stream.Skip(ClientHeaderLength(length)).Take(length), b => Assert.Equal(0x81, b));
    }

    [Fact]
    public void Scan_EmptyRead_NothingChanges()
    {
        var scanner = new WebSocketFrameScanner();
        scanner.Scan([]);
        Assert.Equal(0, scanner.Pending);
    }

    /// <summary>A client frame: masked, as RFC 6455 requires of clients (the mask is all zeros, so the payload reads as sent).</summary>
    private static byte[] ClientFrame(byte first, byte[] payload)
    {
        var header = new List<byte> { first };
        if (payload.Length < 126)
        {
            header.Add((byte)(0x80 | payload.Length));
        }
        else if (payload.Length <= ushort.MaxValue)
        {
            header.Add(0x80 | 126);
            header.Add((byte)(payload.Length >> 8));
            header.Add((byte)payload.Length);
        }
        else
        {
            header.Add(0x80 | 127);
            for (var shift = 56; shift >= 0; shift -= 8)
            {
                header.Add((byte)((long)payload.Length >> shift));
            }
        }

        header.AddRange([0, 0, 0, 0]);
        return [.. header, .. payload];
    }

    private static int ClientHeaderLength(int length) => (length < 126 ? 2 : length <= ushort.MaxValue ? 4 : 10) + 4;
}
