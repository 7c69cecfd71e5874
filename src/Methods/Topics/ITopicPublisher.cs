namespace ActorRpc;

/// <summary>
/// Sends a notification to every subscriber of a topic, on every node of the cluster. Inject it
/// into any service or handler; actors may also Tell the topics actor directly.
/// </summary>
public interface ITopicPublisher
{
    /// <summary>
    /// Publishes <paramref name="data"/> (serialized once, as the notification's <c>params</c>) to
    /// <paramref name="topic"/>. Returns once the notification is handed to the node; from one caller,
    /// notifications reach each subscriber in the order they were published.
    /// </summary>
    /// <param name="topic">A declared topic (or one matching a declared pattern).</param>
    /// <param name="data">A JSON object or array: JSON-RPC params must be structured.</param>
    /// <param name="retain">
    /// Keep this as the topic's state, sent to each new subscriber right after it subscribes (on every
    /// node that holds the topic; see docs/clustering.md for the limits).
    /// </param>
    /// <remarks>
    /// Publishing never creates a topic: a notification reaches the nodes where the topic has
    /// subscribers (declared topics are everywhere). So <c>ActorRpc:Limits:MaxPatternTopics</c>, which
    /// bounds the names of patterns clients subscribe to, never refuses or drops a publish; a retained
    /// notification of a pattern topic is kept where that topic lives, for
    /// <c>ActorRpc:Limits:RetainedPatternTopicTtl</c> once it has no subscriber there.
    /// </remarks>
    /// <exception cref="ArgumentException">The topic is not declared, or the data is not an object or array.</exception>
    void Publish(string topic, object data, bool retain = false);
}
