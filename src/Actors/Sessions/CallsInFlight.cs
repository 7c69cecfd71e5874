namespace ActorRpc.Actors.Sessions;

/// <summary>
/// A session's calls in flight, and the spare token sources it reuses for new ones. Shared by the
/// session actor, which adds calls and gives up on them, and the completions of task handlers it
/// started, which answer their call from the handler's own thread (<see cref="DirectCompletions"/>);
/// whoever removes a call first answers it, so each request gets exactly one reply. One lock,
/// held only for a dictionary operation: the two sides meet once per call.
/// </summary>
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

    /// <summary>Takes the call out; false when it was already answered (completed or given up).</summary>
    public bool TryRemove(long sequence, out PendingCall call)
    {
        lock (_lock)
        {
            return _calls.Remove(sequence, out call!);
        }
    }

    /// <summary>A finished call's token source, kept for another call unless it was cancelled (a handler may still hold it then).</summary>
    public void Recycle(CancellationTokenSource token)
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

    /// <summary>The calls in flight now (for deadlines and client cancels).</summary>
    public PendingCall[] Snapshot()
    {
        lock (_lock)
        {
            return [.. _calls.Values];
        }
    }

    /// <summary>Takes every call out, when the session stops.</summary>
    public PendingCall[] RemoveAll()
    {
        lock (_lock)
        {
            PendingCall[] all = [.. _calls.Values];
            _calls.Clear();
            return all;
        }
    }
}
