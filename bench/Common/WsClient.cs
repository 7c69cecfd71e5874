using System.Net;
using System.Net.Sockets;
using System.Net.WebSockets;

namespace ActorRpc.Bench.Common;

/// <summary>
/// How <see cref="WsClient"/> opens a connection. Every connection has client keep-alive pings off, so a
/// tool measures only the traffic it sends.
/// </summary>
public sealed record WsClientOptions
{
    /// <summary>ClientWebSocket's own buffers and connection handling; no connect timeout of its own.</summary>
    public static WsClientOptions Default { get; } = new();

    /// <summary>
    /// For thousands of connections from one process: 1 KB buffers, source addresses spread over
    /// 127.0.0.2–17 (each has its own ephemeral port range), and linger 0 so closing sends a reset and
    /// leaves no TIME_WAIT behind to eat ports for the next run.
    /// </summary>
    public static WsClientOptions ManyConnections { get; } = new() { BufferSize = 1024, SpreadSourceAddresses = true };

    /// <summary>Receive and send buffer size in bytes; null keeps ClientWebSocket's default.</summary>
    public int? BufferSize { get; init; }

    /// <summary>Bind each socket to one of 127.0.0.2–17 in turn and close it with a reset (linger 0).</summary>
    public bool SpreadSourceAddresses { get; init; }

    /// <summary>How long the WebSocket handshake may take; null: only the caller's token bounds it.</summary>
    public TimeSpan? ConnectTimeout { get; init; }
}

/// <summary>
/// The bench tools' WebSocket client at the frame level: connect, send a text message, receive one whole
/// message, reset. Tools that match frames themselves (the load generator reads ids and sequence numbers
/// straight from the bytes) use this; <see cref="RpcConnection"/> adds calls matched by id and notifications.
/// </summary>
public static class WsClient
{
    private const int SourceAddresses = 16;
    private static int _next;

    private static readonly HttpMessageInvoker SpreadInvoker = new(new SocketsHttpHandler
    {
        UseProxy = false,
        ConnectCallback = async (context, cancellationToken) =>
        {
            var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                socket.LingerState = new LingerOption(true, 0);
                var n = Interlocked.Increment(ref _next);
                socket.Bind(new IPEndPoint(new IPAddress([127, 0, 0, (byte)(2 + (n % SourceAddresses))]), 0));
                await socket.ConnectAsync(context.DnsEndPoint, cancellationToken).ConfigureAwait(false);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        },
    });

    /// <summary>Opens one connection as <paramref name="options"/> say.</summary>
    public static async Task<ClientWebSocket> ConnectAsync(Uri uri, WsClientOptions options, CancellationToken cancellationToken)
    {
        var socket = new ClientWebSocket();
        socket.Options.KeepAliveInterval = TimeSpan.Zero;
        if (options.BufferSize is { } size)
        {
            socket.Options.SetBuffer(size, size);
        }

        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            if (options.ConnectTimeout is { } limit)
            {
                timeout.CancelAfter(limit);
            }

            // A null invoker is ClientWebSocket's own default connection handling.
            await socket.ConnectAsync(uri, options.SpreadSourceAddresses ? SpreadInvoker : null, timeout.Token).ConfigureAwait(false);
            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>Opens <paramref name="count"/> connections, round-robin over <paramref name="uris"/>, <paramref name="parallel"/> at a time.</summary>
    public static async Task<ClientWebSocket[]> ConnectManyAsync(
        IReadOnlyList<Uri> uris, int count, int parallel, WsClientOptions options, CancellationToken cancellationToken)
    {
        var sockets = new ClientWebSocket[count];
        await Parallel.ForAsync(0, count, new ParallelOptions { MaxDegreeOfParallelism = parallel, CancellationToken = cancellationToken }, async (i, ct) =>
            sockets[i] = await ConnectAsync(uris[i % uris.Count], options, ct).ConfigureAwait(false)).ConfigureAwait(false);
        return sockets;
    }

    /// <summary>Resets every connection (no close handshake: fast for 10k, and no TIME_WAIT).</summary>
    public static void AbortAll(IEnumerable<WebSocket?> sockets)
    {
        foreach (var socket in sockets)
        {
            socket?.Abort();
            socket?.Dispose();
        }
    }

    /// <summary>Reads one whole message into <paramref name="buffer"/> (grown as needed); its length, or -1 on close.</summary>
    public static async ValueTask<int> ReceiveMessageAsync(WebSocket socket, FrameBuffer buffer, CancellationToken cancellationToken)
    {
        var count = 0;
        while (true)
        {
            if (count == buffer.Bytes.Length)
            {
                var bigger = new byte[buffer.Bytes.Length * 2];
                buffer.Bytes.CopyTo(bigger, 0);
                buffer.Bytes = bigger;
            }

            var result = await socket.ReceiveAsync(buffer.Bytes.AsMemory(count), cancellationToken).ConfigureAwait(false);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                return -1;
            }

            count += result.Count;
            if (result.EndOfMessage)
            {
                return count;
            }
        }
    }

    /// <summary>Sends <paramref name="message"/> (UTF-8 JSON) as one text message.</summary>
    public static ValueTask SendAsync(WebSocket socket, ReadOnlyMemory<byte> message, CancellationToken cancellationToken) =>
        socket.SendAsync(message, WebSocketMessageType.Text, true, cancellationToken);

    /// <summary>The integer after <paramref name="member"/> (e.g. <c>"id":</c>) in a frame, or null.</summary>
    public static long? ReadInteger(ReadOnlySpan<byte> frame, ReadOnlySpan<byte> member)
    {
        var at = frame.IndexOf(member);
        if (at < 0)
        {
            return null;
        }

        var rest = frame[(at + member.Length)..];
        var negative = rest.Length > 0 && rest[0] == (byte)'-';
        if (negative)
        {
            rest = rest[1..];
        }

        long value = 0;
        var digits = 0;
        while (digits < rest.Length && rest[digits] is >= (byte)'0' and <= (byte)'9')
        {
            value = (value * 10) + (rest[digits] - '0');
            digits++;
        }

        return digits == 0 ? null : negative ? -value : value;
    }
}

/// <summary>A receive buffer that grows when a message does not fit.</summary>
public sealed class FrameBuffer(int size)
{
    /// <summary>The bytes; replaced by a buffer twice the size when a message outgrows it.</summary>
    public byte[] Bytes { get; set; } = new byte[size];
}
