namespace ActorRpc.Actors.Sessions;

/// <summary>
/// The handlers running on this node for its clients, over every WebSocket and HTTP exchange,
/// held under <c>ActorRpc:Limits:MaxNodeHandlers</c>. One per node (a DI singleton): sessions take
/// a place when they dispatch a call, and it goes back when the call has left their calls in flight
/// (answered, given up, or abandoned with the session) and, for a task handler this node runs, the
/// handler has returned (<see cref="PendingCall"/>): a handler that ignores its cancelled token still
/// counts. The HTTP endpoint refuses a POST while
/// <see cref="IsFull"/>. Thread-safe and lock-free: it is on every call's path.
/// </summary>
/// <param name="limit">ActorRpc:Limits:MaxNodeHandlers.</param>
internal sealed class NodeHandlers(int limit)
{
    private int _running;

    /// <summary>
    /// A new count with no limit, for hosts without a node's DI (benchmarks, actor specs). Always a
    /// new instance: a shared one would be a counter every host of the process writes to.
    /// </summary>
    public static NodeHandlers CreateUnlimited() => new(int.MaxValue);

    /// <summary>ActorRpc:Limits:MaxNodeHandlers.</summary>
    public int Limit { get; } = limit;

    /// <summary>Handlers running now (places taken).</summary>
    public int Count => Volatile.Read(ref _running);

    /// <summary>True while every place is taken: a POST then gets 503 before anything runs.</summary>
    public bool IsFull => Count >= Limit;

    /// <summary>Takes a place for one handler; false, taking nothing, when none is left.</summary>
    public bool TryAcquire()
    {
        if (Interlocked.Increment(ref _running) <= Limit)
        {
            return true;
        }

        Interlocked.Decrement(ref _running);
        return false;
    }

    /// <summary>Gives back the place of one handler taken by <see cref="TryAcquire"/>.</summary>
    public void Release() => Interlocked.Decrement(ref _running);
}
