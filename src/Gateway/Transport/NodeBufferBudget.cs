namespace ActorRpc.Gateway.Transport;

/// <summary>
/// The node's bytes buffered for its WebSockets (MaxNodeBufferedBytes): messages read and not yet
/// finished, and frames queued to be written, summed over every connection. One per node (a DI
/// singleton); each connection adds and releases through its <see cref="InFlightGate"/>
/// (messages) and its <see cref="WebSocketSender"/> (frames).
/// </summary>
/// <remarks>
/// Over the budget, connections read no new message (they wait in <see cref="WaitForRoomAsync"/>,
/// all on one shared task, so a blocked reader costs no object of its own) and notifications are
/// refused (<see cref="TryAcquire"/>). Replies and messages already read are always counted
/// (<see cref="Add"/>): refusing them would lose work the client was promised, and they are bounded
/// by the in-flight limits.
/// </remarks>
internal sealed class NodeBufferBudget
{
    private readonly Lock _lock = new();
    private readonly long _limit;
    private long _bytes;
    private TaskCompletionSource? _room;

    /// <param name="limit">MaxNodeBufferedBytes.</param>
    public NodeBufferBudget(long limit)
    {
        _limit = limit;
    }

    /// <summary>The bytes buffered now, over all connections.</summary>
    /// <remarks>Named like the node's other counts (<c>TryAcquire</c>, <c>Add</c>, <c>Release</c>, <c>Count</c>, <c>Limit</c>).</remarks>
    public long Count => Interlocked.Read(ref _bytes);

    /// <summary>The budget (MaxNodeBufferedBytes).</summary>
    public long Limit => _limit;

    /// <summary>Whether the node is at or over its budget: readers wait, notifications are refused.</summary>
    public bool IsFull => Interlocked.Read(ref _bytes) >= _limit;

    /// <summary>Counts bytes that cannot be refused (a message read, a reply).</summary>
    public void Add(long bytes) => Interlocked.Add(ref _bytes, bytes);

    /// <summary>Counts <paramref name="bytes"/> if they fit in the budget; false (nothing counted) if not.</summary>
    public bool TryAcquire(long bytes)
    {
        var after = Interlocked.Add(ref _bytes, bytes);
        if (after <= _limit)
        {
            return true;
        }

        Release(bytes);
        return false;
    }

    /// <summary>Gives bytes back; wakes the waiting readers once the node is under its budget.</summary>
    public void Release(long bytes)
    {
        if (bytes == 0)
        {
            return;
        }

        if (Interlocked.Add(ref _bytes, -bytes) >= _limit || Volatile.Read(ref _room) is null)
        {
            return;
        }

        TaskCompletionSource? room;
        lock (_lock)
        {
            room = _room;
            _room = null;
        }

        room?.TrySetResult();
    }

    /// <summary>Completes once the node is under its budget (at once when it is).</summary>
    public Task WaitForRoomAsync()
    {
        lock (_lock)
        {
            if (!IsFull)
            {
                return Task.CompletedTask;
            }

            // Continuations run off the releasing thread (a session actor's or a sender's).
            var room = _room ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

            // A release that read no waiter before _room was set must not be missed: look again, now
            // that it is set (Release reads _room after its interlocked decrement; IsFull is a full fence).
            if (!IsFull)
            {
                _room = null;
                room.TrySetResult();
            }

            return room.Task;
        }
    }
}
