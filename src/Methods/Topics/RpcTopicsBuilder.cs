namespace ActorRpc.Methods.Topics;

/// <summary>Collects the declared topics and patterns of a node, with their options; a name declared twice keeps its last options.</summary>
internal sealed class RpcTopicsBuilder
{
    private readonly Dictionary<string, RpcTopicOptions> _topics = new(StringComparer.Ordinal);
    private readonly Dictionary<string, RpcTopicOptions> _patterns = new(StringComparer.Ordinal);

    /// <summary>Declares one topic.</summary>
    public RpcTopicsBuilder AddTopic(string name, RpcTopicOptions? options = null)
    {
        TopicCatalog.ValidateName(name);
        _topics[name] = options ?? new RpcTopicOptions();
        return this;
    }

    /// <summary>Declares every topic that starts with <paramref name="pattern"/> minus its trailing <c>*</c>.</summary>
    public RpcTopicsBuilder AddTopicPattern(string pattern, RpcTopicOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(pattern);
        if (!pattern.EndsWith('*') || pattern.IndexOf('*', StringComparison.Ordinal) != pattern.Length - 1)
        {
            throw new ArgumentException($"Topic pattern '{pattern}' must end with its only '*', as in 'orders.*'.", nameof(pattern));
        }

        _patterns[pattern] = options ?? new RpcTopicOptions();
        return this;
    }

    internal TopicCatalog Build() => new(new Dictionary<string, RpcTopicOptions>(_topics, StringComparer.Ordinal), [.. _patterns]);
}
