using System.Net.WebSockets;
using ActorRpc.Actors.Sessions;

namespace ActorRpc.Gateway.Transport;

/// <summary>
/// The only writer of one WebSocket. Frames go into a queue that callers (the session actor, task
/// handlers' threads) fill without ever waiting, and one sender at a time drains it; a close
/// drops what is still queued and ends with the close frame.
/// </summary>
/// <remarks>
/// Idle cost: the sender runs only while frames are queued (or a close frame is due), and ends
/// when the queue is empty; the next frame starts it again (see <see cref="SendQueued"/>). An
/// idle connection therefore holds no send task.
/// </remarks>
/// <remarks>
/// Bounds: replies are bounded by the in-flight limits (<see cref="InFlightGate"/>: the reader
/// reads no further message while MaxRequestsInFlight requests, or MaxInFlightBytes of messages,
/// are unanswered or their replies unwritten), notifications by MaxOutboundQueue, MaxOutboundBytes
/// and the node's MaxNodeBufferedBytes (past any of them <see cref="TryNotify(byte[], out OutboundLimit)"/>
/// refuses, saying which, and the session applies the slow-consumer policy). So the queue, though
/// without a capacity, never grows without end.
/// </remarks>
/// <remarks>
/// Bytes: every frame, reply or notification, counts its length from when it is queued until it is
/// written (or dropped), here (MaxOutboundBytes) and in the node's <see cref="NodeBufferBudget"/>
/// (MaxNodeBufferedBytes). A notification that would pass either is refused like one past
/// MaxOutboundQueue, except that a notification is always taken when nothing is queued here (so one
/// frame larger than MaxOutboundBytes still goes out; the node's budget has no such exception).
/// Replies count but are never refused. A reply also carries the bytes of the message it settles
/// (MaxInFlightBytes), released with its requests.
/// </remarks>
/// <remarks>
/// States: Idle (nothing queued, no sender), Running (one sender writes; only one ever does),
/// Stopped (the close frame went out, or a send failed: for good). A failed send aborts the
/// socket, so the receive side ends the connection too.
/// </remarks>
internal sealed class WebSocketSender
{
    private readonly WebSocket _socket;
    private readonly InFlightGate _inFlight;
    private readonly int _maxQueuedNotifications;
    private readonly long _maxQueuedBytes;
    private readonly NodeBufferBudget _node;
    // The connection's CloseTimeout: a close frame the peer never takes off the wire cannot hold the sender.
    private readonly CancellationToken _closeDeadline;
    // Frames not yet written, guarded by itself, as are _state and _stopped.
    private readonly Queue<OutboundFrame> _outbound = new();
    private SenderState _state;
    // Made only when the connection ends while a send is still under way, to wait for it.
    private TaskCompletionSource? _stopped;
    private int _queuedNotifications;
    // Bytes of the frames queued or being written.
    private long _queuedBytes;
    // Which budget refused the last notification (an OutboundLimit), for the close reason; None until one did.
    private int _refusedBy;
    private long _lastSent = Environment.TickCount64;
    // Set once; its presence is the "closing" flag, so a reader that sees closing always sees the status too.
    private CloseRequest? _close;

    public WebSocketSender(WebSocket socket, InFlightGate inFlight, int maxQueuedNotifications, CancellationToken closeDeadline)
        : this(socket, inFlight, maxQueuedNotifications, long.MaxValue, new NodeBufferBudget(long.MaxValue), closeDeadline)
    {
    }

    public WebSocketSender(WebSocket socket, InFlightGate inFlight, int maxQueuedNotifications, long maxQueuedBytes, NodeBufferBudget node, CancellationToken closeDeadline)
    {
        _socket = socket;
        _inFlight = inFlight;
        _maxQueuedNotifications = maxQueuedNotifications;
        _maxQueuedBytes = maxQueuedBytes;
        _node = node;
        _closeDeadline = closeDeadline;
    }

    /// <summary>The bytes of the frames queued or being written.</summary>
    public long QueuedBytes => Interlocked.Read(ref _queuedBytes);

    /// <summary>The key of the setting whose budget refused the last notification (MaxOutboundQueue when none did).</summary>
    public string RefusedBy => LimitKeys.Of((OutboundLimit)Volatile.Read(ref _refusedBy));

    /// <summary>Whether a close was asked for; from then on every frame is dropped.</summary>
    public bool IsClosing => Volatile.Read(ref _close) is not null;

    /// <summary>When a frame was last written (<see cref="Environment.TickCount64"/>).</summary>
    public long LastSent => Volatile.Read(ref _lastSent);

    /// <summary>Whether no sender runs (nothing queued, or stopped for good): the sender then holds no task.</summary>
    public bool IsIdle
    {
        get
        {
            lock (_outbound)
            {
                return _state != SenderState.Running;
            }
        }
    }

    /// <inheritdoc cref="TryNotify(byte[], out OutboundLimit)"/>
    public bool TryNotify(byte[] frame) => TryNotify(frame, out _);

    /// <summary>
    /// Queues a notification; false, with the setting in <paramref name="refusedBy"/>, when
    /// <c>MaxOutboundQueue</c> notifications already wait, or the frame would take the queued bytes
    /// past <c>MaxOutboundBytes</c> or the node's past <c>MaxNodeBufferedBytes</c> (the frame is then
    /// not queued). Once closing, or after a failed send, the frame is dropped on purpose (true): only
    /// a full queue on an open connection is the client's fault.
    /// </summary>
    public bool TryNotify(byte[] frame, out OutboundLimit refusedBy)
    {
        refusedBy = OutboundLimit.None;
        if (IsClosing)
        {
            return true;
        }

        if (Interlocked.Increment(ref _queuedNotifications) > _maxQueuedNotifications)
        {
            Interlocked.Decrement(ref _queuedNotifications);
            return Refused(OutboundLimit.MaxOutboundQueue, out refusedBy);
        }

        var queued = Interlocked.Add(ref _queuedBytes, frame.Length);
        if (queued > _maxQueuedBytes && queued != frame.Length)
        {
            Interlocked.Add(ref _queuedBytes, -frame.Length);
            Interlocked.Decrement(ref _queuedNotifications);
            return Refused(OutboundLimit.MaxOutboundBytes, out refusedBy);
        }

        // Over the node's budget only a subscriber that is already behind is refused: one whose queue was
        // empty is reading, and a client that filled the node must not get the readers disconnected.
        if (queued == frame.Length)
        {
            _node.Add(frame.Length);
        }
        else if (!_node.TryAcquire(frame.Length))
        {
            Interlocked.Add(ref _queuedBytes, -frame.Length);
            Interlocked.Decrement(ref _queuedNotifications);
            return Refused(OutboundLimit.MaxNodeBufferedBytes, out refusedBy);
        }

        var outbound = new OutboundFrame(frame, frame.Length, Requests: 0, MessageBytes: 0, IsNotification: true, Pooled: false);
        if (!Enqueue(outbound))
        {
            Interlocked.Decrement(ref _queuedNotifications); // Closing meanwhile: dropped on purpose.
            Unqueued(outbound);
        }

        return true;
    }

    /// <summary>
    /// Queues a reply; its <paramref name="requests"/> and <paramref name="messageBytes"/> stop counting
    /// in flight once it is written, or dropped. Takes <paramref name="frame"/> (a pooled one goes back then too).
    /// </summary>
    public void Reply(ResponseFrame frame, int requests, long messageBytes = 0)
    {
        Interlocked.Add(ref _queuedBytes, frame.Length);
        _node.Add(frame.Length);
        _inFlight.HoldReply(frame.Length);
        var outbound = new OutboundFrame(frame.Buffer, frame.Length, requests, messageBytes, IsNotification: false, frame.IsPooled);
        if (!Enqueue(outbound))
        {
            Unqueued(outbound); // Closing: the reply is dropped, and nobody waits on the count any more.
        }
    }

    /// <summary>
    /// Asks for the close frame with <paramref name="status"/>: frames still queued are dropped,
    /// and the close frame is the last thing written. True for the call that asked first; later
    /// calls change nothing.
    /// </summary>
    public bool TryClose(WebSocketCloseStatus status, string reason)
    {
        if (Interlocked.CompareExchange(ref _close, new CloseRequest(status, reason), null) is not null)
        {
            return false;
        }

        Start(); // It sends the close frame, dropping what is still queued.
        return true;
    }

    /// <summary>
    /// Completes once no sender runs. Call it after <see cref="TryClose"/>: closing, no sender
    /// starts after the one running now, which ends with the close frame.
    /// </summary>
    public Task WhenStoppedAsync()
    {
        lock (_outbound)
        {
            if (_state == SenderState.Running)
            {
                return (_stopped ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).Task;
            }
        }

        return Task.CompletedTask;
    }

    /// <summary>Queues a frame and makes sure a sender runs; false once closing or stopped (the frame is dropped).</summary>
    private bool Enqueue(OutboundFrame frame)
    {
        lock (_outbound)
        {
            if (IsClosing || _state == SenderState.Stopped)
            {
                return false;
            }

            _outbound.Enqueue(frame);
            if (!TryClaimLocked())
            {
                return true; // The running sender writes it.
            }
        }

        SendQueued();
        return true;
    }

    private void Start()
    {
        lock (_outbound)
        {
            if (!TryClaimLocked())
            {
                return;
            }
        }

        SendQueued();
    }

    private bool TryClaimLocked()
    {
        if (_state != SenderState.Idle)
        {
            return false;
        }

        _state = SenderState.Running;
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
            OutboundFrame outbound = default;
            var closing = false;
            List<OutboundFrame>? dropped = null;
            lock (_outbound)
            {
                if (IsClosing)
                {
                    closing = true;
                    dropped = DropQueuedLocked();
                }
                else if (!_outbound.TryDequeue(out outbound))
                {
                    _state = SenderState.Idle;
                    return;
                }
            }

            if (closing)
            {
                Unqueued(dropped); // Nobody waits on these any more, but the counts stay honest.
                break;
            }

            if (outbound.IsNotification)
            {
                Interlocked.Decrement(ref _queuedNotifications);
            }

            ValueTask send;
            try
            {
                // No token: see WebSocketConnection's constructor (the connection's abort fails a stuck send).
                send = _socket.SendAsync(outbound.Frame.AsMemory(0, outbound.Length), WebSocketMessageType.Text, endOfMessage: true, CancellationToken.None);
            }
            catch (Exception ex) when (IsSocketFailure(ex))
            {
                Failed(outbound);
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
            Failed(outbound);
            return;
        }

        Sent(outbound);
        SendQueued();
    }

    private void Sent(OutboundFrame outbound)
    {
        Volatile.Write(ref _lastSent, Environment.TickCount64);
        Unqueued(outbound);
    }

    /// <summary>A frame left the queue for good (written or dropped): it stops counting everywhere, and a pooled one goes back.</summary>
    private void Unqueued(in OutboundFrame outbound)
    {
        Interlocked.Add(ref _queuedBytes, -outbound.Length);
        _node.Release(outbound.Length);
        if (!outbound.IsNotification)
        {
            _inFlight.Release(outbound.Requests, outbound.MessageBytes, replyBytes: outbound.Length);
        }

        if (outbound.Pooled)
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(outbound.Frame);
        }
    }

    private void Unqueued(List<OutboundFrame>? dropped)
    {
        foreach (var frame in dropped ?? [])
        {
            Unqueued(frame);
        }
    }

    private async Task SendCloseFrameAsync()
    {
        try
        {
            if (Volatile.Read(ref _close) is { } close && _socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
            {
                await _socket.CloseOutputAsync(close.Status, Truncate(close.Reason), _closeDeadline).ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (IsSocketFailure(ex))
        {
            _socket.Abort();
        }

        Stopped(failed: false);
    }

    // The connection is lost (or aborted): nothing more is written, and the sender never runs again.
    private void Failed(OutboundFrame unsent)
    {
        _socket.Abort();
        Unqueued(unsent); // Never written: it stops counting all the same.
        Stopped(failed: true);
    }

    private void Stopped(bool failed)
    {
        TaskCompletionSource? waiting;
        List<OutboundFrame>? dropped = null;
        lock (_outbound)
        {
            _state = SenderState.Stopped;
            waiting = _stopped;
            if (failed)
            {
                // Frames queued behind the failed one will never be written: let go of what they hold.
                dropped = DropQueuedLocked();
            }
        }

        Unqueued(dropped);
        waiting?.TrySetResult();
    }

    // Empties the queue; returns its frames, to let go of what they hold outside the lock (null when it was empty).
    private List<OutboundFrame>? DropQueuedLocked()
    {
        if (_outbound.Count == 0)
        {
            return null;
        }

        var dropped = new List<OutboundFrame>(_outbound.Count);
        while (_outbound.TryDequeue(out var frame))
        {
            if (frame.IsNotification)
            {
                Interlocked.Decrement(ref _queuedNotifications);
            }

            dropped.Add(frame);
        }

        return dropped;
    }

    private bool Refused(OutboundLimit setting, out OutboundLimit refusedBy)
    {
        Volatile.Write(ref _refusedBy, (int)setting);
        refusedBy = setting;
        return false;
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

    /// <summary>
    /// A frame to write: the first <paramref name="Length"/> bytes of <paramref name="Frame"/> (a rented
    /// buffer when <paramref name="Pooled"/>). A reply settles <paramref name="Requests"/> and
    /// <paramref name="MessageBytes"/> in flight once written or dropped.
    /// </summary>
    private readonly record struct OutboundFrame(byte[] Frame, int Length, int Requests, long MessageBytes, bool IsNotification, bool Pooled);
}
