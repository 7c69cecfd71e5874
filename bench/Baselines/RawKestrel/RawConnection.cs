using System.Net.WebSockets;

/// <summary>One connection's receive loop: classify, answer canned, or broadcast.</summary>
internal static class RawConnection
{
    private static ReadOnlySpan<byte> PublishMethod => "\"method\":\"publish\""u8;

    private static ReadOnlySpan<byte> SubscribeMethod => "\"method\":\"subscribe\""u8;

    private static ReadOnlySpan<byte> IdMember => "\"id\":"u8;

    private static ReadOnlySpan<byte> PongPrefix => "{\"jsonrpc\":\"2.0\",\"result\":\"pong\",\"id\":"u8;

    private static ReadOnlySpan<byte> TruePrefix => "{\"jsonrpc\":\"2.0\",\"result\":true,\"id\":"u8;

    public static async Task RunAsync(WebSocket socket, Subscribers subscribers, CancellationToken cancellationToken)
    {
        var buffer = new byte[4096];
        var reply = new byte[256];
        var subscribed = false;
        try
        {
            while (true)
            {
                var count = 0;
                ValueWebSocketReceiveResult result;
                do
                {
                    if (count == buffer.Length)
                    {
                        Array.Resize(ref buffer, buffer.Length * 2);
                    }

                    result = await socket.ReceiveAsync(buffer.AsMemory(count), cancellationToken).ConfigureAwait(false);
                    count += result.Count;
                }
                while (!result.EndOfMessage && result.MessageType != WebSocketMessageType.Close);

                if (result.MessageType == WebSocketMessageType.Close)
                {
                    await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, cancellationToken).ConfigureAwait(false);
                    return;
                }

                var frame = buffer.AsMemory(0, count);
                if (frame.Span.IndexOf(PublishMethod) >= 0)
                {
                    // The next receive waits for every send of this frame, so the buffer stays valid
                    // and no subscriber ever has two sends in flight.
                    await subscribers.BroadcastAsync(frame).ConfigureAwait(false);
                    continue;
                }

                var isSubscribe = frame.Span.IndexOf(SubscribeMethod) >= 0;
                var length = Answer(frame.Span, isSubscribe ? TruePrefix : PongPrefix, reply);
                if (length > 0)
                {
                    await socket.SendAsync(reply.AsMemory(0, length), WebSocketMessageType.Text, true, cancellationToken).ConfigureAwait(false);
                }

                if (isSubscribe && !subscribed)
                {
                    subscribed = true;
                    subscribers.Add(socket);
                }
            }
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException)
        {
            // The client went away; nothing to answer.
        }
        finally
        {
            if (subscribed)
            {
                subscribers.Remove(socket);
            }
        }
    }

    /// <summary>Writes prefix + the request's raw id bytes + "}" into <paramref name="reply"/>; 0 for a notification.</summary>
    private static int Answer(ReadOnlySpan<byte> request, ReadOnlySpan<byte> prefix, byte[] reply)
    {
        var at = request.IndexOf(IdMember);
        if (at < 0)
        {
            return 0;
        }

        var id = request[(at + IdMember.Length)..];
        var end = id.IndexOfAny((byte)',', (byte)'}');
        id = end < 0 ? id : id[..end];
        if (prefix.Length + id.Length + 1 > reply.Length)
        {
            return 0;
        }

        prefix.CopyTo(reply);
        id.CopyTo(reply.AsSpan(prefix.Length));
        reply[prefix.Length + id.Length] = (byte)'}';
        return prefix.Length + id.Length + 1;
    }
}
