namespace ActorRpc.Methods.Topics;

/// <summary>The topics of a node: declared names and patterns, with their options. Immutable.</summary>
internal sealed class TopicCatalog
{
    /// <summary>The longest topic name accepted, in characters.</summary>
    public const int MaxTopicLength = 256;

    private readonly Dictionary<string, RpcTopicOptions> _topics;
    private readonly KeyValuePair<string, RpcTopicOptions>[] _patterns;

    internal TopicCatalog(Dictionary<string, RpcTopicOptions> topics, KeyValuePair<string, RpcTopicOptions>[] patterns)
    {
        _topics = topics;
        _patterns = patterns;
        Listed = [.. topics.Keys.Concat(patterns.Select(p => p.Key)).Order(StringComparer.Ordinal)];
        HasGuards = topics.Values.Concat(patterns.Select(p => p.Value)).Any(o => o.Guard is not null);
    }

    /// <summary>Whether any topic or pattern says who may subscribe.</summary>
    public bool HasGuards { get; }

    /// <summary>Every guarded topic and pattern with its guard, for the start-up check of their policies.</summary>
    public IEnumerable<(string Name, Authorization.RpcGuard Guard)> Guards
    {
        get
        {
            foreach (var (name, options) in _topics.Concat(_patterns))
            {
                if (options.Guard is { } guard)
                {
                    yield return (name, guard);
                }
            }
        }
    }

    /// <summary>The guard of a listed name (a topic or a pattern); null for anyone.</summary>
    public Authorization.RpcGuard? GuardOfListed(string name) =>
        _topics.TryGetValue(name, out var options) ? options.Guard : _patterns.FirstOrDefault(p => p.Key == name).Value?.Guard;

    /// <summary>An empty catalog: no topic may be subscribed to.</summary>
    public static TopicCatalog Empty { get; } = new(new Dictionary<string, RpcTopicOptions>(StringComparer.Ordinal), []);

    /// <summary>The declared topic names.</summary>
    public IEnumerable<string> Topics => _topics.Keys;

    /// <summary>The declared patterns, each ending in <c>*</c>.</summary>
    public IEnumerable<string> Patterns => _patterns.Select(p => p.Key);

    /// <summary>What <c>get_topics</c> answers: names and patterns, sorted.</summary>
    public IReadOnlyList<string> Listed { get; }

    /// <summary>Whether clients may subscribe (and publishers publish) to <paramref name="topic"/>.</summary>
    public bool IsAllowed(string topic) => Find(topic) is not null;

    /// <summary>Whether <paramref name="topic"/> is declared by name (not only matched by a pattern).</summary>
    public bool IsDeclared(string topic) => _topics.ContainsKey(topic);

    /// <summary>The options of <paramref name="topic"/>: its own, or its first matching pattern's; null when it is not declared.</summary>
    public RpcTopicOptions? Find(string topic)
    {
        if (string.IsNullOrEmpty(topic) || topic.Length > MaxTopicLength)
        {
            return null;
        }

        if (_topics.TryGetValue(topic, out var options))
        {
            return options;
        }

        foreach (var (pattern, patternOptions) in _patterns)
        {
            // "orders.*" covers "orders.42" but not "orders." itself.
            if (topic.Length >= pattern.Length && topic.AsSpan().StartsWith(pattern.AsSpan(0, pattern.Length - 1), StringComparison.Ordinal))
            {
                return patternOptions;
            }
        }

        return null;
    }

    internal static void ValidateName(string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        if (name.Length > MaxTopicLength || name.Contains('*', StringComparison.Ordinal))
        {
            throw new ArgumentException($"Topic '{name}' must be at most {MaxTopicLength} characters and contain no '*'.", nameof(name));
        }
    }
}
