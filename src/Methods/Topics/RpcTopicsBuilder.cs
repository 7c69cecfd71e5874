namespace ActorRpc.Methods.Topics;

/// <summary>
/// Declares the topics clients may subscribe to, as aiohttp-json-rpc's <c>add_topics</c> does:
/// exact names, or patterns ending in <c>*</c> (<c>orders.*</c>) for families of dynamic topics.
/// </summary>
public sealed class RpcTopicsBuilder
{
    private readonly List<string> _topics = [];
    private readonly List<string> _patterns = [];

    /// <summary>Declares one topic.</summary>
    public RpcTopicsBuilder AddTopic(string name)
    {
        TopicCatalog.ValidateName(name);
        _topics.Add(name);
        return this;
    }

    /// <summary>Declares every topic that starts with <paramref name="pattern"/> minus its trailing <c>*</c>.</summary>
    public RpcTopicsBuilder AddTopicPattern(string pattern)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(pattern);
        if (!pattern.EndsWith('*') || pattern.IndexOf('*', StringComparison.Ordinal) != pattern.Length - 1)
        {
            throw new ArgumentException($"Topic pattern '{pattern}' must end with its only '*', as in 'orders.*'.", nameof(pattern));
        }

        _patterns.Add(pattern);
        return this;
    }

    internal TopicCatalog Build() => new(_topics.Distinct(StringComparer.Ordinal).ToArray(), _patterns.Distinct(StringComparer.Ordinal).ToArray());
}
