using System.Collections.Concurrent;
using System.Net.WebSockets;
using System.Text;

namespace ActorRpc.Tests.Gateway;

/// <summary>
/// A WebSocket with no network under it, for testing the sender alone. Each send completes at
/// once, stays pending until the test releases it, or throws, as <see cref="NextSends"/> says. It
/// records every frame and the close frame, and catches concurrent writers: a send that starts
/// while another is still under way is counted in <see cref="ConcurrentSends"/>.
/// </summary>
public sealed class FakeWebSocket : WebSocket
{
    private readonly ConcurrentQueue<string> _written = new();
    private readonly ConcurrentQueue<TaskCompletionSource> _pending = new();
    private readonly TaskCompletionSource<string> _pendingStarted = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _closeSent = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly List<(int Count, TaskCompletionSource Done)> _waiters = [];
    private int _writtenCount;
    private int _active;
    private int _concurrentSends;
    private WebSocketState _state = WebSocketState.Open;

    /// <summary>What a send does.</summary>
    public enum SendBehaviour
    {
        /// <summary>Completes before SendAsync returns.</summary>
        Complete,

        /// <summary>Stays pending until <see cref="ReleasePending"/>.</summary>
        Pend,

        /// <summary>Throws, as a lost connection does.</summary>
        Throw,
    }

    /// <summary>How sends behave from now on.</summary>
    public SendBehaviour NextSends { get; set; } = SendBehaviour.Complete;

    /// <summary>Text frames and the close frame (as "close:{status}:{reason}"), in the order written.</summary>
    public IReadOnlyList<string> Written => [.. _written];

    /// <summary>Text frames only, in the order written.</summary>
    public IReadOnlyList<string> Frames => [.. _written.Where(w => !w.StartsWith("close:", StringComparison.Ordinal))];

    /// <summary>Sends that began while another one was still under way (must stay 0: one writer only).</summary>
    public int ConcurrentSends => Volatile.Read(ref _concurrentSends);

    /// <summary>The threads that called SendAsync, one per send.</summary>
    public ConcurrentQueue<int> SendThreads { get; } = new();

    /// <summary>How many sends were attempted (written, pending or thrown).</summary>
    public int SendCalls => SendThreads.Count;

    /// <summary>Completes with the frame of the first send that stays pending.</summary>
    public Task<string> PendingStarted => _pendingStarted.Task;

    /// <summary>Completes once the close frame has been written.</summary>
    public Task CloseSent => _closeSent.Task;

    public bool Aborted { get; private set; }

    public override WebSocketCloseStatus? CloseStatus => null;

    public override string? CloseStatusDescription => null;

    public override WebSocketState State => _state;

    public override string? SubProtocol => null;

    /// <summary>Completes once <paramref name="count"/> text frames have been written (or passed to a pending send).</summary>
    public Task WhenWrittenAsync(int count)
    {
        lock (_waiters)
        {
            if (_writtenCount >= count)
            {
                return Task.CompletedTask;
            }

            var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiters.Add((count, done));
            return done.Task;
        }
    }

    /// <summary>Completes the oldest pending send; false when none is pending.</summary>
    public bool ReleasePending()
    {
        if (!_pending.TryDequeue(out var send))
        {
            return false;
        }

        // Leave the send before completing it: its continuation may start the next send on this thread.
        Interlocked.Decrement(ref _active);
        send.SetResult();
        return true;
    }

    /// <summary>Fails the oldest pending send, as a connection lost mid-write does.</summary>
    public bool FailPending()
    {
        if (!_pending.TryDequeue(out var send))
        {
            return false;
        }

        Interlocked.Decrement(ref _active);
        send.SetException(new WebSocketException(WebSocketError.ConnectionClosedPrematurely));
        return true;
    }

    public override ValueTask SendAsync(ReadOnlyMemory<byte> buffer, WebSocketMessageType messageType, bool endOfMessage, CancellationToken cancellationToken)
    {
        SendThreads.Enqueue(Environment.CurrentManagedThreadId);
        if (Interlocked.Increment(ref _active) != 1)
        {
            Interlocked.Increment(ref _concurrentSends);
        }

        var frame = Encoding.UTF8.GetString(buffer.Span);
        switch (NextSends)
        {
            case SendBehaviour.Throw:
                Interlocked.Decrement(ref _active);
                throw new WebSocketException(WebSocketError.ConnectionClosedPrematurely);
            case SendBehaviour.Pend:
                var pending = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                _pending.Enqueue(pending);
                Record(frame);
                _pendingStarted.TrySetResult(frame);
                return new ValueTask(pending.Task);
            default:
                // Widen the window in which a second writer would overlap this one.
                Thread.SpinWait(200);
                Record(frame);
                Interlocked.Decrement(ref _active);
                return ValueTask.CompletedTask;
        }
    }

    public override Task SendAsync(ArraySegment<byte> buffer, WebSocketMessageType messageType, bool endOfMessage, CancellationToken cancellationToken) =>
        SendAsync(buffer.AsMemory(), messageType, endOfMessage, cancellationToken).AsTask();

    public override Task CloseOutputAsync(WebSocketCloseStatus closeStatus, string? statusDescription, CancellationToken cancellationToken)
    {
        if (Volatile.Read(ref _active) != 0)
        {
            Interlocked.Increment(ref _concurrentSends);
        }

        _written.Enqueue($"close:{(int)closeStatus}:{statusDescription}");
        _state = WebSocketState.CloseSent;
        _closeSent.TrySetResult();
        return Task.CompletedTask;
    }

    public override Task CloseAsync(WebSocketCloseStatus closeStatus, string? statusDescription, CancellationToken cancellationToken) =>
        CloseOutputAsync(closeStatus, statusDescription, cancellationToken);

    public override Task<WebSocketReceiveResult> ReceiveAsync(ArraySegment<byte> buffer, CancellationToken cancellationToken) =>
        throw new NotSupportedException("The sender never receives.");

    private void Record(string frame)
    {
        _written.Enqueue(frame);
        lock (_waiters)
        {
            _writtenCount++;
            foreach (var waiter in _waiters.Where(w => w.Count <= _writtenCount).ToList())
            {
                _waiters.Remove(waiter);
                waiter.Done.TrySetResult();
            }
        }
    }

    public override void Abort()
    {
        Aborted = true;
        _state = WebSocketState.Aborted;
    }

    public override void Dispose()
    {
    }
}
