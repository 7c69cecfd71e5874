namespace ActorRpc.Methods.Topics;

/// <summary>The topics of a node: declared names and patterns, with their options. Immutable.</summary>
internal sealed class TopicCatalog
{
    /// <summary>The longest topic name accepted, in characters.</summary>
    public const int MaxTopicLength = 256;

    private readonly Dictionary<string, RpcTopicOptions> _topics;
    private readonly KeyValuePair<string, RpcTopicOptions>[] _patterns;
    private readonly Dictionary<string, Authorization.RpcGuard?> _patternGuards;

    internal TopicCatalog(Dictionary<string, RpcTopicOptions> topics, KeyValuePair<string, RpcTopicOptions>[] patterns)
    {
        _topics = topics;

        // The longest prefix first: a topic takes the options of the most specific pattern it matches.
        _patterns = [.. patterns.OrderByDescending(p => p.Key.Length).ThenBy(p => p.Key, StringComparer.Ordinal)];

        // A topic of "events.admin.*" is also one of "events.*": it asks what both patterns' guards ask,
        // so a narrower pattern can add a guard but never lift a broader one's.
        _patternGuards = patterns.ToDictionary(
            p => p.Key,
            p => Authorization.RpcGuard.Combine(patterns.Where(q => Prefix(p.Key).StartsWith(Prefix(q.Key), StringComparison.Ordinal)).Select(q => q.Value.Guard)),
            StringComparer.Ordinal);
        Listed = [.. topics.Keys.Concat(patterns.Select(p => p.Key)).Order(StringComparer.Ordinal)];
        HasGuards = topics.Values.Any(o => o.Guard is not null) || _patternGuards.Values.Any(g => g is not null);
    }

    /// <summary>Whether any topic or pattern says who may subscribe.</summary>
    public bool HasGuards { get; }

    /// <summary>
    /// Every guarded topic and pattern with the guard its subscribers meet (a pattern's combined with
    /// those of the patterns it falls under), for the start-up check of their policies.
    /// </summary>
    public IEnumerable<(string Name, Authorization.RpcGuard Guard)> Guards
    {
        get
        {
            foreach (var name in Listed)
            {
                if (GuardOfListed(name) is { } guard)
                {
                    yield return (name, guard);
                }
            }
        }
    }

    /// <summary>
    /// Who may subscribe to a listed name (a topic, or a pattern as <c>get_topics</c> lists it); null for
    /// anyone. A topic declared by name has its own guard only; a pattern's combines those of every
    /// pattern it falls under.
    /// </summary>
    public Authorization.RpcGuard? GuardOfListed(string name) =>
        _topics.TryGetValue(name, out var options) ? options.Guard : _patternGuards.GetValueOrDefault(name);

    /// <summary>The options a listed name (a topic, or a pattern as <c>get_topics</c> lists it) was declared with.</summary>
    public RpcTopicOptions? OptionsOfListed(string name) =>
        _topics.TryGetValue(name, out var options) ? options : _patterns.FirstOrDefault(p => p.Key == name).Value;

    /// <summary>
    /// What <c>get_topics</c> answers <paramref name="user"/> (null: anonymous): the listed names it may
    /// subscribe to, each guard asked as a subscribe would ask it, sorted. Without an
    /// <paramref name="authorizer"/> no guarded name is listed.
    /// </summary>
    public async Task<string[]> VisibleToAsync(System.Security.Claims.ClaimsPrincipal? user, Authorization.RpcAuthorizer? authorizer)
    {
        var visible = new List<string>(Listed.Count);
        foreach (var name in Listed)
        {
            if (GuardOfListed(name) is not { } guard
                || (authorizer is not null && await authorizer.AuthorizeAsync(user, guard, name).ConfigureAwait(false) == Authorization.RpcAccess.Allowed))
            {
                visible.Add(name);
            }
        }

        return [.. visible];
    }

    /// <summary>Who may subscribe to <paramref name="topic"/>; null for anyone, or when it is not declared.</summary>
    public Authorization.RpcGuard? GuardOf(string topic)
    {
        if (_topics.TryGetValue(topic, out var options))
        {
            return options.Guard;
        }

        return FindPattern(topic) is { } pattern ? _patternGuards[pattern] : null;
    }

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

        return FindPattern(topic) is { } pattern ? _patterns.First(p => p.Key == pattern).Value : null;
    }

    // The most specific declared pattern covering the topic: "orders.*" covers "orders.42" but not "orders." itself.
    private string? FindPattern(string topic)
    {
        if (string.IsNullOrEmpty(topic) || topic.Length > MaxTopicLength)
        {
            return null;
        }

        foreach (var (pattern, _) in _patterns)
        {
            if (topic.Length >= pattern.Length && topic.AsSpan().StartsWith(pattern.AsSpan(0, pattern.Length - 1), StringComparison.Ordinal))
            {
                return pattern;
            }
        }

        return null;
    }

    private static string Prefix(string pattern) => pattern[..^1];

    internal static void ValidateName(string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        if (name.Length > MaxTopicLength || name.Contains('*', StringComparison.Ordinal))
        {
            throw new ArgumentException($"Topic '{name}' must be at most {MaxTopicLength} characters and contain no '*'.", nameof(name));
        }
    }
}
