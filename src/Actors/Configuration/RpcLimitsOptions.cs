using System.ComponentModel.DataAnnotations;

namespace ActorRpc;

/// <summary>Limits on what one client may send. Bound from <c>ActorRpc:Limits</c>; see docs/limits.md.</summary>
public sealed class RpcLimitsOptions : IValidatableObject
{
    /// <summary>
    /// The largest WebSocket message or POST body, in bytes. A larger WebSocket message closes the
    /// connection with 1009 (Message Too Big); a larger body gets 413. <b>Default:</b> 1 MiB.
    /// </summary>
    [Range(1024, 256 * 1024 * 1024)]
    public int MaxMessageSize { get; set; } = 1024 * 1024;

    /// <summary>The most requests in one batch; a longer batch is answered with one -32600. <b>Default:</b> 1000.</summary>
    [Range(1, 1_000_000)]
    public int MaxBatchSize { get; set; } = 1000;

    /// <summary>The deepest JSON nesting accepted; deeper is a parse error (-32700). <b>Default:</b> 64.</summary>
    [Range(4, 1024)]
    public int MaxJsonDepth { get; set; } = 64;

    /// <summary>
    /// How many requests (and notifications) of one WebSocket connection may be in flight: read
    /// but not yet answered, or answered but the answer not yet written to the socket. At the
    /// limit the server stops reading that socket until some finish, so a client that floods or
    /// never reads its replies slows only itself. Each entry of a batch counts.
    /// <b>Default:</b> 128.
    /// </summary>
    [Range(1, 1_000_000)]
    public int MaxRequestsInFlight { get; set; } = 128;

    /// <summary>
    /// How many notifications may wait to be written to one WebSocket; past it,
    /// <see cref="SlowConsumerPolicy"/> decides. Frames are shared between subscribers, so this
    /// bounds references, not copies. <b>Default:</b> 1024.
    /// </summary>
    [Range(1, 1_000_000)]
    public int MaxOutboundQueue { get; set; } = 1024;

    /// <summary>
    /// What happens to a subscriber whose queue of notifications is full.
    /// <b>Default:</b> <see cref="SlowConsumerPolicy.Disconnect"/> (close 1008).
    /// </summary>
    public SlowConsumerPolicy SlowConsumerPolicy { get; set; } = SlowConsumerPolicy.Disconnect;

    /// <summary>
    /// How long a handler may run. Past it the request is answered with -32001 (Request timed out)
    /// and the handler's CancellationToken is cancelled. <see cref="System.Threading.Timeout.InfiniteTimeSpan"/>
    /// turns the limit off. <b>Default:</b> 30 s.
    /// </summary>
    public TimeSpan HandlerTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How many topics one connection may subscribe to; past it, <c>subscribe</c> is -32602. Bounds
    /// what one client can make every node track. <b>Default:</b> 1000.
    /// </summary>
    [Range(1, 1_000_000)]
    public int MaxSubscriptionsPerSession { get; set; } = 1000;

    /// <summary>
    /// How many concrete names of topic patterns (<c>orders.42</c> of <c>AddTopicPattern("orders.*")</c>)
    /// one node holds at once: each costs a topic actor and a distributed pub/sub registration gossiped
    /// to every node, and clients choose the names. Past it, <c>subscribe</c> to a new name is -32602
    /// naming this setting (names already in use can still be subscribed to); publishing never
    /// creates one, so it is never refused. <b>Default:</b> 10000.
    /// </summary>
    [Range(1, 10_000_000)]
    public int MaxPatternTopics { get; set; } = 10_000;

    /// <summary>
    /// How long a pattern topic with no subscriber on this node keeps its retained state: once it
    /// has had no local subscriber and no retained publish for this long, its state is dropped and
    /// the topic stops (its actor and its pub/sub registration), so retained names left behind by
    /// clients do not pile up. A pattern topic with no subscriber and no retained state stops at
    /// once. Declared topics keep their state for the node's life. <b>Default:</b> 1 hour.
    /// </summary>
    public TimeSpan RetainedPatternTopicTtl { get; set; } = TimeSpan.FromHours(1);

    IEnumerable<ValidationResult> IValidatableObject.Validate(ValidationContext validationContext)
    {
        if (HandlerTimeout <= TimeSpan.Zero && HandlerTimeout != Timeout.InfiniteTimeSpan)
        {
            yield return new ValidationResult(
                $"HandlerTimeout must be positive, or {Timeout.InfiniteTimeSpan} for none (it is {HandlerTimeout}).",
                [nameof(HandlerTimeout)]);
        }

        if (RetainedPatternTopicTtl <= TimeSpan.Zero || RetainedPatternTopicTtl.TotalDays > 365)
        {
            yield return new ValidationResult(
                $"RetainedPatternTopicTtl must be positive and at most 365 days (it is {RetainedPatternTopicTtl}).",
                [nameof(RetainedPatternTopicTtl)]);
        }

        if (!Enum.IsDefined(SlowConsumerPolicy))
        {
            yield return new ValidationResult(
                $"SlowConsumerPolicy must be one of {string.Join(", ", Enum.GetNames<SlowConsumerPolicy>())}.", [nameof(SlowConsumerPolicy)]);
        }
    }
}
