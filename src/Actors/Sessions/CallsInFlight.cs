using ActorRpc.Actors.Diagnostics;
using ActorRpc.Actors.Protocol;

namespace ActorRpc.Actors.Sessions;

/// <summary>
/// A session's calls in flight, indexed by sequence and by request id. Shared by the
/// session actor, which adds calls and gives up on them, and the completions of task handlers it
/// started, which answer their call from the handler's own thread (<see cref="DirectCompletions"/>).
/// </summary>
/// <remarks>
/// <para>
/// The one rule: <b>whoever takes a call out answers it</b>, so each request gets exactly one reply.
/// A call leaves by exactly one of three doors, each of which also settles its token source, its
/// span and its place among the node's running handlers (<see cref="NodeHandlers"/>, taken by the
/// session before <see cref="Add"/>): <see cref="TryComplete"/> (its handler finished: from the session's mailbox or the
/// handler's thread), <see cref="TryGiveUp"/> (timed out or cancelled by the client: the session
/// answers with an error), or <see cref="AbandonAll"/> (the session stopped: nobody answers). The
/// loser of a race finds the call gone and does nothing.
/// </para>
/// <para>
/// One lock, held only for a dictionary operation: the two sides meet once per call. The static
/// <see cref="PastDeadline"/> is the pure rule the session applies to a <see cref="Snapshot"/>.
/// </para>
/// <para>
/// A <c>$/cancelRequest</c> finds its call through an index by normalized id
/// (<see cref="CancelRequest.IdKey"/>): scanning and unescaping every call in flight per cancel made
/// a flood of cancels quadratic (issue #12). The index is built at the session's first cancel and
/// kept from then on, so the many clients that never cancel pay nothing for it per call.
/// </para>
/// </remarks>
/// <remarks>
/// Every call added holds a place among the node's running handlers (ActorRpc:Limits:MaxNodeHandlers);
/// each door lets go of the session's hold on it (<see cref="PendingCall.LeftSession"/>), and a task
/// handler this node runs keeps its own until it returns.
/// </remarks>
internal sealed class CallsInFlight
{
    private readonly Lock _lock = new();
    private readonly Dictionary<long, PendingCall> _calls = [];

    // Normalized id -> the oldest call in flight with it; later calls that reuse the id (a client's
    // mistake, so rare) wait in _laterById, in sequence order.
    private readonly Dictionary<string, long> _oldestById = new(StringComparer.Ordinal);
    private Dictionary<string, List<long>>? _laterById;
    private bool _indexed;

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
    /// How many calls in flight lookups by id looked at (building the index included), over this
    /// table's life: a test hook proving that <see cref="OldestWithId"/> is an index lookup, not a scan.
    /// </summary>
    internal long CallsExamined { get; private set; }

    /// <summary>
    /// The call a <c>$/cancelRequest</c> for <paramref name="id"/> means: the oldest request in
    /// flight with the same id (<see cref="CancelRequest.IdKey"/>: equal numbers as written, equal
    /// strings once unescaped). Notifications have no id to name. Ids should be unique among
    /// requests in flight; if not, the oldest is the one meant.
    /// </summary>
    public PendingCall? OldestWithId(ReadOnlySpan<byte> id)
    {
        if (CancelRequest.IdKey(id) is not { } key)
        {
            return null;
        }

        lock (_lock)
        {
            if (!_indexed)
            {
                // The first cancel of this session: from now on every call is indexed as it comes and goes.
                _indexed = true;
                foreach (var call in _calls.Values)
                {
                    Index(call);
                }

                CallsExamined += _calls.Count;
            }

            if (!_oldestById.TryGetValue(key, out var sequence))
            {
                return null;
            }

            CallsExamined++;
            return _calls[sequence];
        }
    }

    /// <summary>
    /// A token source for a new call: always a new one. Token sources are never recycled (issue #12):
    /// a handler, or work it left behind, may hold its token after its call finished, and a reset
    /// source handed to a later call would cancel that stray work when the later call is cancelled.
    /// A source without a timer costs one small allocation and needs no disposal.
    /// </summary>
    public static CancellationTokenSource NewToken() => new();

    /// <summary>Adds a call whose place among the node's handlers the caller took (<see cref="NodeHandlers.TryAcquire"/>); it goes back as the call leaves and, for a task run here, its handler returns (<see cref="PendingCall"/>).</summary>
    public void Add(PendingCall call)
    {
        lock (_lock)
        {
            _calls[call.Sequence] = call;
            Index(call);
        }
    }

    /// <summary>
    /// A built-in the session answers itself was decided: takes the call out and gives back its place,
    /// but leaves its span to the session, which ends it with the answer's error code once known. False
    /// when it was already answered (given up on).
    /// </summary>
    public bool TryTake(long sequence, out PendingCall call)
    {
        if (!TryRemove(sequence, out call))
        {
            return false;
        }

        call.LeftSession();
        return true;
    }

    /// <summary>
    /// Its handler finished: takes the call out, gives back its handler's place and ends its span. False
    /// when it was already answered (given up on); the caller then drops the result.
    /// </summary>
    public bool TryComplete(long sequence, out PendingCall call)
    {
        if (!TryRemove(sequence, out call))
        {
            return false;
        }

        call.LeftSession();

        // Success or error is on the handler's span, where the outcome is known.
        RpcTracing.Finish(call.Span, errorCode: null);
        return true;
    }

    /// <summary>
    /// The session answers the call with <paramref name="errorCode"/> instead of its handler: takes
    /// it out, cancels its token (never reused: the handler may still hold it), gives back its
    /// handler's place (the handler may run on a while, cancelled, uncounted) and ends its span.
    /// False when its handler answered meanwhile.
    /// </summary>
    public bool TryGiveUp(long sequence, int errorCode, out PendingCall call)
    {
        if (!TryRemove(sequence, out call))
        {
            return false;
        }

        call.LeftSession();

        // Cancelled off the session's thread: cancellation runs handlers' continuations.
        _ = call.Cancellation.CancelAsync();
        RpcTracing.Finish(call.Span, errorCode);
        return true;
    }

    /// <summary>The session stopped: takes every call out, gives back their handlers' places, ends their spans as abandoned and cancels their tokens.</summary>
    public PendingCall[] AbandonAll()
    {
        PendingCall[] calls;
        lock (_lock)
        {
            calls = [.. _calls.Values];
            _calls.Clear();
            _oldestById.Clear();
            _laterById = null;
        }

        if (calls.Length == 0)
        {
            return calls;
        }

        var tokens = new CancellationTokenSource[calls.Length];
        for (var i = 0; i < calls.Length; i++)
        {
            calls[i].LeftSession();
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
            if (!_calls.Remove(sequence, out call!))
            {
                return false;
            }

            Unindex(call);
            return true;
        }
    }

    // Under the lock.
    private void Index(PendingCall call)
    {
        if (!_indexed || CancelRequest.IdKey(call.Id.Span) is not { } key)
        {
            return;
        }

        if (!_oldestById.TryGetValue(key, out var oldest))
        {
            _oldestById[key] = call.Sequence;
            return;
        }

        var later = (_laterById ??= new(StringComparer.Ordinal)).TryGetValue(key, out var list) ? list : _laterById[key] = [];
        if (call.Sequence < oldest)
        {
            _oldestById[key] = call.Sequence;
            InsertInOrder(later, oldest);
        }
        else
        {
            InsertInOrder(later, call.Sequence);
        }
    }

    // Under the lock.
    private void Unindex(PendingCall call)
    {
        if (!_indexed || CancelRequest.IdKey(call.Id.Span) is not { } key)
        {
            return;
        }

        List<long>? later = null;
        _laterById?.TryGetValue(key, out later);
        if (_oldestById.TryGetValue(key, out var oldest) && oldest == call.Sequence)
        {
            if (later is null)
            {
                _oldestById.Remove(key);
                return;
            }

            _oldestById[key] = later[0];
            later.RemoveAt(0);
        }
        else
        {
            later?.Remove(call.Sequence);
        }

        if (later is { Count: 0 })
        {
            _laterById!.Remove(key);
        }
    }

    private static void InsertInOrder(List<long> sequences, long sequence)
    {
        var at = sequences.BinarySearch(sequence);
        sequences.Insert(at < 0 ? ~at : at, sequence);
    }
}
