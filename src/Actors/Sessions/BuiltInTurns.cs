namespace ActorRpc.Actors.Sessions;

/// <summary>
/// Keeps the built-ins about a connection's own state (subscriptions, user) in the order they
/// arrived. One at a time may wait for a decision (<see cref="GuardedBuiltIns"/>); those that arrive
/// meanwhile wait their turn here, so a pipelined <c>unsubscribe</c> still has the last word over the
/// <c>subscribe</c> before it. A decision that never comes does not hold the line: giving its call up
/// (HandlerTimeout, <c>$/cancelRequest</c>) ends its turn. Owned by one session, used on its thread.
/// </summary>
internal sealed class BuiltInTurns
{
    private Queue<WaitingBuiltIn>? _waiting;
    private long _deciding = NoOne;

    private const long NoOne = -1;

    /// <summary>
    /// The turn a look at the guarded subscriptions takes after the user changed: built-ins about the
    /// subscriptions that follow an <c>authenticate</c> see them as they are for the new user.
    /// </summary>
    public const long Recheck = long.MinValue;

    /// <summary>Whether a built-in waits for its decision now, so any other must wait its turn.</summary>
    public bool IsDeciding => _deciding != NoOne;

    /// <summary>The built-in of call <paramref name="sequence"/> waits for its decision from now on.</summary>
    public void Deciding(long sequence) => _deciding = sequence;

    /// <summary>Puts <paramref name="builtIn"/> at the back of the line.</summary>
    public void Wait(WaitingBuiltIn builtIn) => (_waiting ??= new Queue<WaitingBuiltIn>()).Enqueue(builtIn);

    /// <summary>
    /// The call <paramref name="sequence"/> was decided or given up: true when it held the turn (the
    /// next in line may go), false for a decision that comes after its call was given up.
    /// </summary>
    public bool Ended(long sequence)
    {
        if (_deciding != sequence)
        {
            return false;
        }

        _deciding = NoOne;
        return true;
    }

    /// <summary>The next built-in in line, once none is deciding; calls given up meanwhile are skipped.</summary>
    public bool TryNext(out WaitingBuiltIn next)
    {
        while (!IsDeciding && _waiting is { Count: > 0 } waiting)
        {
            next = waiting.Dequeue();
            if (!next.Call.Cancellation.IsCancellationRequested)
            {
                return true;
            }
        }

        next = null!;
        return false;
    }
}

/// <summary>A built-in about the connection's state, tracked as <paramref name="Call"/>, deciding or waiting its turn.</summary>
/// <param name="Call">The call it is, in the session's calls in flight.</param>
/// <param name="Method">The built-in's name.</param>
/// <param name="Params">Its raw params.</param>
internal sealed record WaitingBuiltIn(PendingCall Call, string Method, ReadOnlyMemory<byte> Params);
