using System.Net.WebSockets;
using System.Text;
using System.Text.Json;

namespace ActorRpc.Tests.Reliability;

/// <summary>
/// A subscriber that checks, without keeping them, that notifications carrying <c>{"seq": n}</c>
/// arrive complete, once each, and (below <see cref="OrderedBelow"/>) in order: for tests that push
/// far more than a test may hold in memory. Only publishes acknowledged one by one are ordered;
/// pipelined ones run concurrently.
/// </summary>
internal sealed class RawSubscriber : IAsyncDisposable
{
    private readonly ClientWebSocket _socket = new();
    private Task? _reading;
    private readonly System.Collections.BitArray _seen = new(1 << 20);
    private long _received;
    private long _outOfOrder;
    private long _duplicates;
    private long _next;

    public long OrderedBelow { get; init; }

    public long Duplicates => Interlocked.Read(ref _duplicates);

    public long Received => Interlocked.Read(ref _received);

    public long OutOfOrder => Interlocked.Read(ref _outOfOrder);

    public ClientWebSocket Socket => _socket;

    public static async Task<RawSubscriber> SubscribeAsync(Uri uri, string topic, long orderedBelow = 0)
    {
        var subscriber = new RawSubscriber { OrderedBelow = orderedBelow };
        await subscriber._socket.ConnectAsync(uri, CancellationToken.None);
        var request = Encoding.UTF8.GetBytes($$"""{"jsonrpc":"2.0","method":"subscribe","params":["{{topic}}"],"id":"sub"}""");
        await subscriber._socket.SendAsync(request, WebSocketMessageType.Text, true, CancellationToken.None);
        var reply = await subscriber.ReceiveMessageAsync(CancellationToken.None);
        Assert.Contains("\"result\"", reply, StringComparison.Ordinal);
        return subscriber;
    }

    /// <summary>Starts reading and checking every notification until the connection ends.</summary>
    public void StartReading() => _reading = Task.Run(ReadAllAsync);

    /// <summary>Waits until <paramref name="count"/> notifications arrived.</summary>
    public async Task WaitForAsync(long count, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (Received < count)
        {
            Assert.True(DateTime.UtcNow < deadline, $"received {Received} of {count}");
            Assert.False(_reading?.IsCompleted ?? false, $"the connection ended after {Received} of {count} ({_socket.CloseStatus})");
            await Task.Delay(20);
        }
    }

    /// <summary>Reads (and discards) until the server's close frame; returns its status.</summary>
    public async Task<WebSocketCloseStatus?> DrainUntilClosedAsync(TimeSpan timeout)
    {
        using var deadline = new CancellationTokenSource(timeout);
        var buffer = new byte[64 * 1024];
        while (true)
        {
            var result = await _socket.ReceiveAsync(buffer, deadline.Token);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                return result.CloseStatus;
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        _socket.Abort();
        if (_reading is not null)
        {
            await _reading.ContinueWith(_ => { }, TaskScheduler.Default);
        }

        _socket.Dispose();
    }

    private async Task ReadAllAsync()
    {
        while (true)
        {
            var message = await ReceiveMessageAsync(CancellationToken.None);
            using var document = JsonDocument.Parse(message);
            var seq = (int)document.RootElement.GetProperty("params").GetProperty("seq").GetInt64();
            if (_seen[seq])
            {
                Interlocked.Increment(ref _duplicates);
            }

            _seen[seq] = true;
            if (seq < OrderedBelow)
            {
                if (seq != _next)
                {
                    Interlocked.Increment(ref _outOfOrder);
                }

                _next = seq + 1;
            }

            Interlocked.Increment(ref _received);
        }
    }

    private async Task<string> ReceiveMessageAsync(CancellationToken cancellationToken)
    {
        var buffer = new byte[16 * 1024];
        using var message = new MemoryStream();
        while (true)
        {
            var result = await _socket.ReceiveAsync(buffer, cancellationToken);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                throw new WebSocketException($"closed: {result.CloseStatus}");
            }

            message.Write(buffer, 0, result.Count);
            if (result.EndOfMessage)
            {
                return Encoding.UTF8.GetString(message.GetBuffer(), 0, (int)message.Length);
            }
        }
    }
}
