using System.Diagnostics;

namespace ActorRpc.Gateway.Transport;

/// <summary>
/// Counts one connection's requests, and the bytes of its messages, in flight, and lets its receive
/// loop wait while either is at its limit (MaxRequestsInFlight, MaxInFlightBytes) or the node is
/// over MaxNodeBufferedBytes. The session's thread releases, the receive loop waits; one waiter at most.
/// </summary>
/// <remarks>
/// The count may pass the limit (a batch adds all its entries at once), and the bytes may pass theirs
/// by one message (the check comes before a message is read, when its length is not known yet); the
/// loop then waits until enough have finished to bring them back under, which is what makes a batch
/// cost its size. With nothing in flight the loop always reads, so a message larger than the budget
/// still goes through. Replies not yet written count against MaxInFlightBytes too (not twice against
/// the node: the sender counts those), so small requests with large answers a client never reads stop
/// its reading as surely as large requests do. Over the node's budget only connections that hold
/// something wait: one that holds nothing still reads its next message, so a client that fills the
/// node's budget slows the others down to one message at a time, never to a halt.
/// </remarks>
internal sealed class InFlightGate(int limit, long byteLimit, NodeBufferBudget node)
{
    private readonly Lock _lock = new();
    private int _count;
    private int _awaitedAnswers;
    private long _bytes;
    private long _replyBytes;
    private TaskCompletionSource? _room;
    private bool _open;
    private bool _ended;
    private bool _waiting;

    public InFlightGate(int limit)
        : this(limit, long.MaxValue, new NodeBufferBudget(long.MaxValue))
    {
    }

    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _count;
            }
        }
    }

    /// <summary>Whether the receive loop waits for room now: it reads nothing until a release (or the node) gives some.</summary>
    public bool IsWaiting
    {
        get
        {
            lock (_lock)
            {
                return _waiting;
            }
        }
    }

    /// <summary>The bytes of this connection's messages in flight.</summary>
    public long Bytes
    {
        get
        {
            lock (_lock)
            {
                return _bytes;
            }
        }
    }

    public void Add(int requests, long bytes = 0)
    {
        lock (_lock)
        {
            _count += requests;
            if (_ended)
            {
                return;
            }

            _bytes += bytes;
        }

        node.Add(bytes);
    }

    /// <summary>Counts a queued reply's bytes against MaxInFlightBytes until it is written (<see cref="Release"/>'s <c>replyBytes</c>).</summary>
    public void HoldReply(long replyBytes)
    {
        lock (_lock)
        {
            if (!_ended)
            {
                _replyBytes += replyBytes;
            }
        }
    }

    public void Release(int requests, long bytes = 0, long replyBytes = 0)
    {
        TaskCompletionSource? room = null;
        var toNode = 0L;
        lock (_lock)
        {
            // Never below zero: a release without its add would otherwise grant room the client never
            // paid for, and MaxRequestsInFlight would no longer bound what runs for it.
            Debug.Assert(_count >= requests, "Released more requests than were added.");
            _count = Math.Max(0, _count - requests);
            if (!_ended)
            {
                toNode = Math.Min(bytes, _bytes);
                _bytes -= toNode;
                _replyBytes = Math.Max(0, _replyBytes - replyBytes);
            }

            if (HasRoomLocked())
            {
                room = _room;
                _room = null;
            }
        }

        node.Release(toNode);
        room?.TrySetResult();
    }

    /// <summary>
    /// The server's calls to this client that wait for its answers changed by <paramref name="change"/>:
    /// each one is room for one more message, so the answers are read even when every place is held by
    /// a handler that waits for one (<c>ISessionTransport.AwaitAnswers</c>).
    /// </summary>
    public void AwaitAnswers(int change)
    {
        TaskCompletionSource? room = null;
        lock (_lock)
        {
            _awaitedAnswers = Math.Max(0, _awaitedAnswers + change);
            if (HasRoomLocked())
            {
                room = _room;
                _room = null;
            }
        }

        room?.TrySetResult();
    }

    /// <summary>Stops limiting for good (the connection is closing and must read to the peer's close frame).</summary>
    public void Open()
    {
        TaskCompletionSource? room;
        lock (_lock)
        {
            _open = true;
            room = _room;
            _room = null;
        }

        room?.TrySetResult();
    }

    /// <summary>
    /// The connection ended: gives the node back every byte still counted here (calls the session
    /// abandoned are never settled), and counts no more bytes from now on.
    /// </summary>
    public void End()
    {
        long bytes;
        lock (_lock)
        {
            _ended = true;
            bytes = _bytes;
            _bytes = 0;
            _replyBytes = 0;
        }

        node.Release(bytes);
    }

    /// <summary>Completes once fewer than the limit are in flight, the bytes are under theirs, and the node has room.</summary>
    public Task WaitForRoomAsync(CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            if (_open || (HasRoomLocked() && (_count == 0 || !node.IsFull)))
            {
                return Task.CompletedTask;
            }
        }

        return WaitAsync(cancellationToken);
    }

    private async Task WaitAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            Task room;
            Task? nodeRoom = null;
            lock (_lock)
            {
                if (_open)
                {
                    return;
                }

                if (HasRoomLocked())
                {
                    if (_count == 0 || !node.IsFull)
                    {
                        return;
                    }

                    nodeRoom = node.WaitForRoomAsync();
                }

                // Continuations run off the releasing thread, which is the session actor's. Also completed by Open.
                _room ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                room = _room.Task;
                _waiting = true;
            }

            try
            {
                await (nodeRoom is null ? room : Task.WhenAny(room, nodeRoom)).WaitAsync(cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                lock (_lock)
                {
                    _waiting = false;
                }
            }
        }
    }

    // Room to read one more message. With nothing in flight there is always room, whatever the budgets.
    // Each answer the server waits for from its client adds a place (at most MaxClientCallsInFlight).
    private bool HasRoomLocked() => _count < limit + _awaitedAnswers && (_bytes + _replyBytes < byteLimit || _count == 0);
}
