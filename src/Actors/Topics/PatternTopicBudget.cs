namespace ActorRpc.Actors.Topics;

/// <summary>
/// The node's live pattern topics, counted against <c>ActorRpc:Limits:MaxPatternTopics</c>. Each
/// concrete name of a pattern (<c>orders.42</c> of <c>orders.*</c>) that someone subscribes to costs
/// a topic actor and a distributed pub/sub registration gossiped to every node, and its name is the
/// client's choice; this bounds how many of them a node holds (issue #12). One per node (a DI
/// singleton), shared by the sessions, which acquire new names when a client subscribes (and refuse
/// past the limit, with -32602), and the topics actor, which adds the children it starts and releases
/// those that stop. Thread-safe. Named like the node's other counts: <c>TryAcquire</c> (refusable),
/// <c>Add</c> (never refused), <c>Release</c>, <c>Count</c>, <c>Limit</c>.
/// </summary>
/// <remarks>
/// A name is admitted before its actor exists, so a subscribe answered "ok" always gets its topic.
/// A name admitted while its old actor was being pruned is tracked again when the new one starts,
/// so the count may briefly exceed the limit by the subscriptions racing a prune; it never drifts.
/// </remarks>
internal sealed class PatternTopicBudget(int limit)
{
    private readonly Lock _lock = new();
    private readonly HashSet<string> _live = new(StringComparer.Ordinal);

    /// <summary>A new budget with no limit, for hosts without a node's DI (benchmarks, actor specs); never shared.</summary>
    public static PatternTopicBudget CreateUnlimited() => new(int.MaxValue);

    /// <summary>ActorRpc:Limits:MaxPatternTopics.</summary>
    public int Limit => limit;

    /// <summary>Pattern topics live (or admitted and starting) on this node now.</summary>
    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _live.Count;
            }
        }
    }

    /// <summary>
    /// Acquires every name of <paramref name="topics"/> at once, or none: true when those not live yet
    /// fit under the limit (they are then counted live), false otherwise. Call it only with pattern
    /// topics; declared topics always live and cost nothing more.
    /// </summary>
    public bool TryAcquire(IReadOnlyCollection<string> topics)
    {
        lock (_lock)
        {
            var added = 0;
            foreach (var topic in topics)
            {
                if (!_live.Contains(topic))
                {
                    added++;
                }
            }

            if (added == 0)
            {
                return true;
            }

            if (_live.Count + added > limit)
            {
                return false;
            }

            _live.UnionWith(topics);
            return true;
        }
    }

    /// <summary>The topics actor started an actor for <paramref name="topic"/>: it is live (again, after a prune).</summary>
    public void Add(string topic)
    {
        lock (_lock)
        {
            _live.Add(topic);
        }
    }

    /// <summary>The actor of <paramref name="topic"/> stopped: it no longer counts.</summary>
    public void Release(string topic)
    {
        lock (_lock)
        {
            _live.Remove(topic);
        }
    }
}
