using System.Diagnostics;

namespace ActorRpc.Gateway.Transport;

/// <summary>
/// Counts one connection's requests in flight and lets its receive loop wait while the count is at
/// the limit. The session's thread releases, the receive loop waits; one waiter at most.
/// </summary>
/// <remarks>
/// The count may pass the limit (a batch adds all its entries at once); the loop then waits until
/// enough have finished to bring it back under, which is what makes a batch cost its size.
/// </remarks>
internal sealed class InFlightGate(int limit)
{
    private readonly Lock _lock = new();
    private int _count;
    private TaskCompletionSource? _room;
    private bool _open;

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

    public void Add(int requests)
    {
        lock (_lock)
        {
            _count += requests;
        }
    }

    public void Release(int requests)
    {
        TaskCompletionSource? room = null;
        lock (_lock)
        {
            // Never below zero: a release without its add would otherwise grant room the client never
            // paid for, and MaxRequestsInFlight would no longer bound what runs for it.
            Debug.Assert(_count >= requests, "Released more requests than were added.");
            _count = Math.Max(0, _count - requests);
            if (_count < limit)
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

    /// <summary>Completes once fewer than the limit are in flight.</summary>
    public Task WaitForRoomAsync(CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            if (_count < limit || _open)
            {
                return Task.CompletedTask;
            }

            // Continuations run off the releasing thread, which is the session actor's.
            _room ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            return _room.Task.WaitAsync(cancellationToken);
        }
    }
}
