namespace ActorRpc.Methods.Topics;

/// <summary>The topics of a node: declared names and patterns. Immutable.</summary>
public sealed class TopicCatalog
{
    /// <summary>The longest topic name accepted, in characters.</summary>
    public const int MaxTopicLength = 256;

    internal TopicCatalog(IReadOnlyList<string> topics, IReadOnlyList<string> patterns)
    {
        Topics = topics;
        Patterns = patterns;
        Listed = [.. topics.Concat(patterns).Order(StringComparer.Ordinal)];
    }

    /// <summary>An empty catalog: no topic may be subscribed to.</summary>
    public static TopicCatalog Empty { get; } = new([], []);

    /// <summary>The declared topic names.</summary>
    public IReadOnlyList<string> Topics { get; }

    /// <summary>The declared patterns, each ending in <c>*</c>.</summary>
    public IReadOnlyList<string> Patterns { get; }

    /// <summary>What <c>get_topics</c> answers: names and patterns, sorted.</summary>
    public IReadOnlyList<string> Listed { get; }

    /// <summary>Whether clients may subscribe (and publishers publish) to <paramref name="topic"/>.</summary>
    public bool IsAllowed(string topic)
    {
        if (string.IsNullOrEmpty(topic) || topic.Length > MaxTopicLength)
        {
            return false;
        }

        foreach (var name in Topics)
        {
            if (string.Equals(name, topic, StringComparison.Ordinal))
            {
                return true;
            }
        }

        foreach (var pattern in Patterns)
        {
            // "orders.*" covers "orders.42" but not "orders." itself.
            if (topic.Length >= pattern.Length && topic.AsSpan().StartsWith(pattern.AsSpan(0, pattern.Length - 1), StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
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
