namespace ActorRpc;

/// <summary>How one declared topic (or every topic of a pattern) behaves.</summary>
public sealed class RpcTopicOptions
{
    /// <summary>
    /// Whether every notification becomes the topic's state, sent to each new subscriber right after
    /// it subscribes, as if every publisher passed <c>retain: true</c>. For topics whose latest value
    /// is all a newcomer needs (a price, a status). Only for topics declared with <c>AddTopic</c>;
    /// a pattern refuses it. <b>Default:</b> false (only notifications published with
    /// <c>retain: true</c> are kept).
    /// </summary>
    public bool RetainLatest { get; set; }
}
