using ActorRpc.Actors.Diagnostics;
using ActorRpc.Actors.Protocol;

namespace ActorRpc.Actors.Sessions;

/// <summary>
/// A session's calls in flight, and the spare token sources it reuses for new ones. Shared by the
/// session actor, which adds calls and gives up on them, and the completions of task handlers it
/// started, which answer their call from the handler's own thread (<see cref="DirectCompletions"/>).
/// </summary>
/// <remarks>
/// <para>
/// The one rule: <b>whoever takes a call out answers it</b>, so each request gets exactly one reply.
/// A call leaves by exactly one of three doors, each of which also settles its token source and its
/// span: <see cref="TryComplete"/> (its handler finished: from the session's mailbox or the
/// handler's thread), <see cref="TryGiveUp"/> (timed out or cancelled by the client: the session
/// answers with an error), or <see cref="AbandonAll"/> (the session stopped: nobody answers). The
/// loser of a race finds the call gone and does nothing.
/// </para>
/// <para>
/// One lock, held only for a dictionary operation: the two sides meet once per call. The static
/// <see cref="PastDeadline"/> and <see cref="OldestWithId"/> are the pure rules the session applies
/// to a <see cref="Snapshot"/>.
/// </para>
/// </remarks>
internal sealed class CallsInFlight
{
    private const int SpareTokenLimit = 64;

    private readonly Lock _lock = new();
    private readonly Dictionary<long, PendingCall> _calls = [];
    private readonly Stack<CancellationTokenSource> _spareTokens = new();

    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _calls.Count;
            }
        }
    }

    /// <summary>
    /// The calls of <paramref name="calls"/> whose deadline is at or before <paramref name="now"/>
    /// (<see cref="Environment.TickCount64"/>); null when none, so a check that finds nothing allocates nothing.
    /// </summary>
    public static List<PendingCall>? PastDeadline(IReadOnlyList<PendingCall> calls, long now)
    {
        List<PendingCall>? expired = null;
        foreach (var call in calls)
        {
            if (call.Deadline <= now)
            {
                (expired ??= []).Add(call);
            }
        }

        return expired;
    }

    /// <summary>
    /// The call a <c>$/cancelRequest</c> for <paramref name="id"/> means: the oldest request in
    /// <paramref name="calls"/> with the same id (<see cref="CancelRequest.SameId"/>). Notifications
    /// have no id to name. Ids should be unique among requests in flight; if not, the oldest is the one meant.
    /// </summary>
    public static PendingCall? OldestWithId(IReadOnlyList<PendingCall> calls, ReadOnlySpan<byte> id)
    {
        PendingCall? oldest = null;
        foreach (var call in calls)
        {
            if (!call.IsNotification && CancelRequest.SameId(call.Id.Span, id) && (oldest is null || call.Sequence < oldest.Sequence))
            {
                oldest = call;
            }
        }

        return oldest;
    }

    /// <summary>A token source for a new call: a reset spare one if any.</summary>
    public CancellationTokenSource RentToken()
    {
        lock (_lock)
        {
            if (_spareTokens.TryPop(out var spare))
            {
                return spare;
            }
        }

        return new CancellationTokenSource();
    }

    public void Add(PendingCall call)
    {
        lock (_lock)
        {
            _calls[call.Sequence] = call;
        }
    }

    /// <summary>
    /// Its handler finished: takes the call out, keeps its token source for another call and ends
    /// its span. False when it was already answered (given up on); the caller then drops the result.
    /// </summary>
    public bool TryComplete(long sequence, out PendingCall call)
    {
        if (!TryRemove(sequence, out call))
        {
            return false;
        }

        Recycle(call.Cancellation);

        // Success or error is on the handler's span, where the outcome is known.
        RpcTracing.Finish(call.Span, errorCode: null);
        return true;
    }

    /// <summary>
    /// The session answers the call with <paramref name="errorCode"/> instead of its handler: takes
    /// it out, cancels its token (never reused: the handler may still hold it) and ends its span.
    /// False when its handler answered meanwhile.
    /// </summary>
    public bool TryGiveUp(long sequence, int errorCode, out PendingCall call)
    {
        if (!TryRemove(sequence, out call))
        {
            return false;
        }

        // Cancelled off the session's thread: cancellation runs handlers' continuations.
        _ = call.Cancellation.CancelAsync();
        RpcTracing.Finish(call.Span, errorCode);
        return true;
    }

    /// <summary>The session stopped: takes every call out, ends their spans as abandoned and cancels their tokens.</summary>
    public PendingCall[] AbandonAll()
    {
        PendingCall[] calls;
        lock (_lock)
        {
            calls = [.. _calls.Values];
            _calls.Clear();
        }

        if (calls.Length == 0)
        {
            return calls;
        }

        var tokens = new CancellationTokenSource[calls.Length];
        for (var i = 0; i < calls.Length; i++)
        {
            tokens[i] = calls[i].Cancellation;
            calls[i].Span?.SetTag("actorrpc.abandoned", true); // The session ended before the call's answer.
            RpcTracing.Finish(calls[i].Span, errorCode: null);
        }

        // Cancel off this thread: cancellation runs handlers' continuations, which must not run on the actor.
        _ = Task.Run(() => Array.ForEach(tokens, t => t.Cancel()));
        return calls;
    }

    /// <summary>The calls in flight now (for deadlines and client cancels).</summary>
    public PendingCall[] Snapshot()
    {
        lock (_lock)
        {
            return [.. _calls.Values];
        }
    }

    private bool TryRemove(long sequence, out PendingCall call)
    {
        lock (_lock)
        {
            return _calls.Remove(sequence, out call!);
        }
    }

    // A finished call's token source, kept for another call unless it was cancelled (a handler may still hold it then).
    private void Recycle(CancellationTokenSource token)
    {
        if (!token.TryReset())
        {
            return;
        }

        lock (_lock)
        {
            if (_spareTokens.Count < SpareTokenLimit)
            {
                _spareTokens.Push(token);
            }
        }
    }
}
