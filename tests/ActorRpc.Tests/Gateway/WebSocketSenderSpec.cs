using System.Net.WebSockets;
using System.Text;
using ActorRpc.Gateway.Transport;
using ActorRpc.Tests.Infrastructure;

namespace ActorRpc.Tests.Gateway;

/// <summary>
/// The single writer of a WebSocket, without Kestrel: a <see cref="FakeWebSocket"/> decides when
/// each send completes, and catches a second writer.
/// </summary>
public sealed class WebSocketSenderSpec
{
    private const int MaxOutboundQueue = 2;

    private readonly FakeWebSocket _socket = new();
    // Limit 1: WaitForRoomAsync is then the event "every request counted here was released".
    private readonly InFlightGate _inFlight = new(limit: 1);
    private readonly CancellationTokenSource _closeDeadline = new(TestTimeouts.Long);
    private readonly WebSocketSender _sender;

    public WebSocketSenderSpec()
    {
        _sender = new WebSocketSender(_socket, _inFlight, MaxOutboundQueue, _closeDeadline.Token);
    }

    [Fact]
    public async Task Send_ManyThreadsEnqueue_OneWriterAndEachThreadsFramesInOrder()
    {
        const int threads = 8;
        const int framesPerThread = 300;
        _inFlight.Add(threads * framesPerThread);
        using var start = new ManualResetEventSlim();

        var writers = Enumerable.Range(0, threads).Select(t => Task.Factory.StartNew(
            () =>
            {
                start.Wait();
                for (var i = 0; i < framesPerThread; i++)
                {
                    _sender.Reply(Frame($"{t}-{i}"), requests: 1);
                }
            },
            CancellationToken.None,
            TaskCreationOptions.LongRunning,
            TaskScheduler.Default)).ToArray();
        start.Set();
        await Task.WhenAll(writers).DefaultTimeout();
        await _socket.WhenWrittenAsync(threads * framesPerThread).DefaultTimeout();

        Assert.Equal(0, _socket.ConcurrentSends);
        var frames = _socket.Frames;
        Assert.Equal(threads * framesPerThread, frames.Count);
        for (var t = 0; t < threads; t++)
        {
            var prefix = $"{t}-";
            var own = frames.Where(f => f.StartsWith(prefix, StringComparison.Ordinal)).ToList();
            Assert.Equal(Enumerable.Range(0, framesPerThread).Select(i => $"{t}-{i}"), own);
        }

        Assert.Equal(0, _inFlight.Count); // Every reply's request released once written.
        Assert.True(_sender.IsIdle);
    }

    [Fact]
    public async Task Send_PendingSend_LaterFramesQueueAndGoOutInOrderWhenItCompletes()
    {
        _socket.NextSends = FakeWebSocket.SendBehaviour.Pend;
        _inFlight.Add(3);
        _sender.Reply(Frame("a"), requests: 1);
        Assert.Equal("a", await _socket.PendingStarted.DefaultTimeout());

        _socket.NextSends = FakeWebSocket.SendBehaviour.Complete;
        _sender.Reply(Frame("b"), requests: 1);
        _sender.Reply(Frame("c"), requests: 1);

        // Queued behind the pending send: nobody else writes meanwhile.
        Assert.Equal(["a"], _socket.Frames);
        Assert.Equal(1, _socket.SendCalls);
        Assert.False(_sender.IsIdle);
        Assert.Equal(3, _inFlight.Count);

        Assert.True(_socket.ReleasePending());
        await _socket.WhenWrittenAsync(3).DefaultTimeout();
        await _inFlight.WaitForRoomAsync(CancellationToken.None).DefaultTimeout(); // c's request released: written.

        Assert.Equal(["a", "b", "c"], _socket.Frames);
        Assert.Equal(0, _socket.ConcurrentSends);
        Assert.Equal(0, _inFlight.Count);
    }

    [Fact]
    public async Task Close_WithFramesQueued_DropsThemAndCloseFrameIsLastWritten()
    {
        _socket.NextSends = FakeWebSocket.SendBehaviour.Pend;
        _inFlight.Add(3);
        _sender.Reply(Frame("a"), requests: 1);
        await _socket.PendingStarted.DefaultTimeout();
        _socket.NextSends = FakeWebSocket.SendBehaviour.Complete;
        _sender.Reply(Frame("b"), requests: 1);
        _sender.Reply(Frame("c"), requests: 1);

        Assert.True(_sender.TryClose(WebSocketCloseStatus.PolicyViolation, "Too slow"));
        Assert.False(_sender.TryClose(WebSocketCloseStatus.NormalClosure, "second")); // Only the first close counts.
        Assert.True(_sender.IsClosing);
        Assert.False(_socket.CloseSent.IsCompleted); // The pending send still owns the socket.

        var stopped = _sender.WhenStoppedAsync();
        Assert.True(_socket.ReleasePending());
        await _socket.CloseSent.DefaultTimeout();
        await stopped.DefaultTimeout();

        _inFlight.Add(1);
        _sender.Reply(Frame("d"), requests: 1); // After the close: dropped, its count released.
        Assert.True(_sender.TryNotify(Frame("e")));

        Assert.Equal(["a", "close:1008:Too slow"], _socket.Written);
        Assert.Equal(0, _socket.ConcurrentSends);
        Assert.Equal(0, _inFlight.Count); // a written; b and c dropped by the close; d dropped after it: all released.
    }

    [Fact]
    public async Task Close_WhileIdle_CloseFrameWrittenAtOnce()
    {
        _sender.Reply(Frame("a"), requests: 0);
        Assert.True(_sender.TryClose(WebSocketCloseStatus.InternalServerError, "Session failed"));

        await _socket.CloseSent.DefaultTimeout();
        await _sender.WhenStoppedAsync().DefaultTimeout();
        Assert.Equal(["a", "close:1011:Session failed"], _socket.Written);
    }

    [Fact]
    public async Task Send_Throws_SocketAbortedAndSenderNeverRunsAgain()
    {
        _socket.NextSends = FakeWebSocket.SendBehaviour.Throw;
        _inFlight.Add(2);
        _sender.Reply(Frame("a"), requests: 1);

        Assert.True(_socket.Aborted);
        Assert.True(_sender.IsIdle);
        Assert.Equal(1, _inFlight.Count); // The failed reply's request let go of.

        _socket.NextSends = FakeWebSocket.SendBehaviour.Complete;
        _sender.Reply(Frame("b"), requests: 1);
        Assert.True(_sender.TryNotify(Frame("n"))); // Dropped on purpose: not a slow consumer.

        Assert.Equal(1, _socket.SendCalls);
        Assert.Empty(_socket.Frames);
        Assert.Equal(0, _inFlight.Count);
        await _sender.WhenStoppedAsync().DefaultTimeout();
    }

    [Fact]
    public async Task Send_PendingSendFails_QueuedFramesDroppedAndReleased()
    {
        _socket.NextSends = FakeWebSocket.SendBehaviour.Pend;
        _inFlight.Add(3);
        _sender.Reply(Frame("a"), requests: 1);
        await _socket.PendingStarted.DefaultTimeout();
        _sender.Reply(Frame("b"), requests: 2);
        Assert.True(_sender.TryNotify(Frame("n")));

        Assert.True(_socket.FailPending());
        await _inFlight.WaitForRoomAsync(CancellationToken.None).DefaultTimeout(); // Released by the failure, last of all.

        Assert.True(_socket.Aborted);
        Assert.True(_sender.IsIdle);
        Assert.Equal(0, _inFlight.Count);
        Assert.Equal(["a"], _socket.Frames); // Only the failed send ever reached the socket.
        Assert.Equal(1, _socket.SendCalls);

        // The notification queue was emptied too: room for MaxOutboundQueue again, though nothing is written.
        for (var i = 0; i < MaxOutboundQueue + 1; i++)
        {
            Assert.True(_sender.TryNotify(Frame($"late-{i}")));
        }

        Assert.Equal(1, _socket.SendCalls);
    }

    [Fact]
    public async Task TryNotify_PastMaxOutboundQueue_RefusedAndRoomFreedOnceSent()
    {
        _socket.NextSends = FakeWebSocket.SendBehaviour.Pend;
        Assert.True(_sender.TryNotify(Frame("n0"))); // Taken off the queue at once, into the pending send.
        await _socket.PendingStarted.DefaultTimeout();
        _socket.NextSends = FakeWebSocket.SendBehaviour.Complete;

        Assert.True(_sender.TryNotify(Frame("n1")));
        Assert.True(_sender.TryNotify(Frame("n2")));
        Assert.False(_sender.TryNotify(Frame("refused"))); // MaxOutboundQueue (2) already wait.

        // Replies are never refused: they are bounded by the in-flight limit instead.
        _inFlight.Add(1);
        _sender.Reply(Frame("r"), requests: 1);

        Assert.True(_socket.ReleasePending());
        await _socket.WhenWrittenAsync(4).DefaultTimeout();

        Assert.True(_sender.TryNotify(Frame("n3"))); // Room again once the queue was written.
        await _socket.WhenWrittenAsync(5).DefaultTimeout();
        Assert.Equal(["n0", "n1", "n2", "r", "n3"], _socket.Frames);
        Assert.Equal(0, _socket.ConcurrentSends);
    }

    [Fact]
    public void Sender_Idle_HoldsNoTaskAndWritesInlineOnTheCallersThread()
    {
        Assert.True(_sender.IsIdle);

        _sender.Reply(Frame("a"), requests: 0);
        Assert.True(_sender.TryNotify(Frame("b")));

        // Sends that complete at once are written before the call returns, on the caller's thread (no hop),
        // and the sender is idle again afterwards: no task is left behind.
        Assert.Equal(["a", "b"], _socket.Frames);
        Assert.All(_socket.SendThreads, thread => Assert.Equal(Environment.CurrentManagedThreadId, thread));
        Assert.True(_sender.IsIdle);
        Assert.Same(Task.CompletedTask, _sender.WhenStoppedAsync());
    }

    private static byte[] Frame(string text) => Encoding.UTF8.GetBytes(text);
}
