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

    /// <summary>
    /// How many handlers may run at once on this node, over all WebSocket connections and HTTP
    /// exchanges together: a call counts from its dispatch until it is answered, given up
    /// (HandlerTimeout, <c>$/cancelRequest</c>) or its connection ends, and a handler this node runs
    /// until it returns (one that ignores its cancelled token still counts). Past it a call is answered
    /// -32000 "Server busy" (its data names this setting), a notification is dropped and counted
    /// (<c>actorrpc.requests.refused</c>), and a POST that arrives while the node is full gets 503
    /// with <c>Retry-After</c> before anything runs. <b>Default:</b> 10,000.
    /// </summary>
    [Range(1, 10_000_000)]
    public int MaxNodeHandlers { get; set; } = 10_000;

    /// <summary>
    /// How many requests and notifications one WebSocket connection may send per second, on average
    /// (a token bucket: each entry of a batch takes one token). Past it a call is answered -32029
    /// "Too many requests" with <c>data.retryAfterMs</c>, and a notification is dropped and counted
    /// (<c>actorrpc.requests.refused</c>); the socket stays open and other connections are not
    /// affected. <c>$/cancelRequest</c> takes no token: a client past its limit can still cancel its
    /// own calls. 0 turns the limit off. <b>Default:</b> 0 (off).
    /// </summary>
    [Range(0d, 1_000_000d)]
    public double MessagesPerSecond { get; set; }

    /// <summary>
    /// How many requests and notifications one WebSocket connection may send at once before
    /// <see cref="MessagesPerSecond"/> holds it back (the token bucket's size; a full bucket at
    /// connect). 0 means <c>ceil(MessagesPerSecond)</c>. Ignored while <see cref="MessagesPerSecond"/>
    /// is 0. <b>Default:</b> 0.
    /// </summary>
    [Range(0, 1_000_000)]
    public int MessageBurst { get; set; }

    /// <summary>
    /// How many bytes of one WebSocket's messages may be in flight: read and handed to the session,
    /// until the message's last entry settles (its reply written, its notifications finished), plus
    /// the bytes of its replies queued and not yet written. While
    /// the count is at or over it the server stops reading that socket, as for
    /// <see cref="MaxRequestsInFlight"/>. The check is made before a message is read, so one message
    /// (at most <see cref="MaxMessageSize"/>) may pass it, and a message is always read when nothing is
    /// in flight. At least <see cref="MaxMessageSize"/>. <b>Default:</b> 16 MiB.
    /// </summary>
    [Range(1024, long.MaxValue)]
    public long MaxInFlightBytes { get; set; } = 16L * 1024 * 1024;

    /// <summary>
    /// How many bytes of frames may wait to be written to one WebSocket: notifications and replies.
    /// A notification that would take the queue past it is refused and <see cref="SlowConsumerPolicy"/>
    /// decides, as for <see cref="MaxOutboundQueue"/> (a notification is always queued when nothing
    /// waits, so one larger than the budget still goes out). Replies count but are never refused: they
    /// are bounded by the in-flight limits. A frame shared by subscribers counts for each of them.
    /// At least <see cref="MaxMessageSize"/>. <b>Default:</b> 16 MiB.
    /// </summary>
    [Range(1024, long.MaxValue)]
    public long MaxOutboundBytes { get; set; } = 16L * 1024 * 1024;

    /// <summary>
    /// The node-wide sum of <see cref="MaxInFlightBytes"/> and <see cref="MaxOutboundBytes"/> over all
    /// WebSockets. Past it connections that hold something in flight stop reading new messages, and
    /// notifications to subscribers that already have frames waiting are refused (the slow-consumer
    /// policy applies), until connections drain below it; a connection that holds nothing still reads,
    /// and an empty queue still takes a notification, so one client cannot stall the others. Replies
    /// are never refused. At least each of the per-connection budgets. <b>Default:</b> 1 GiB.
    /// </summary>
    [Range(1024, long.MaxValue)]
    public long MaxNodeBufferedBytes { get; set; } = 1024L * 1024 * 1024;

    /// <summary>
    /// The largest response to one message, in bytes. A single response past it is replaced by
    /// -32603 (Internal error) with the same id and a message naming this setting; a batch whose
    /// array would pass it is answered with one -32603 with id null instead (its calls still run).
    /// <b>Default:</b> 16 MiB.
    /// </summary>
    [Range(1024, int.MaxValue)]
    public int MaxResponseSize { get; set; } = 16 * 1024 * 1024;

    /// <summary>
    /// How many calls from the server to one WebSocket client (<see cref="IRpcClient.CallAsync(string, object?, CancellationToken)"/>)
    /// may wait for their answers at once. Past it a further call fails at once with
    /// <see cref="InvalidOperationException"/> naming this setting; nothing is sent. Notifications
    /// to the client do not count. <b>Default:</b> 64.
    /// </summary>
    [Range(1, 100_000)]
    public int MaxClientCallsInFlight { get; set; } = 64;

    /// <summary>
    /// How long a call from the server to a client waits for the client's answer. Past it the call
    /// fails with <see cref="TimeoutException"/>, the server forgets it (a late answer is ignored) and
    /// sends the client <c>$/cancelRequest</c> with its id. <see cref="System.Threading.Timeout.InfiniteTimeSpan"/>
    /// turns the limit off. <b>Default:</b> 30 s.
    /// </summary>
    public TimeSpan ClientCallTimeout { get; set; } = TimeSpan.FromSeconds(30);

    IEnumerable<ValidationResult> IValidatableObject.Validate(ValidationContext validationContext)
    {
        if (HandlerTimeout <= TimeSpan.Zero && HandlerTimeout != Timeout.InfiniteTimeSpan)
        {
            yield return new ValidationResult(
                $"HandlerTimeout must be positive, or {Timeout.InfiniteTimeSpan} for none (it is {HandlerTimeout}).",
                [nameof(HandlerTimeout)]);
        }

        if ((ClientCallTimeout <= TimeSpan.Zero && ClientCallTimeout != Timeout.InfiniteTimeSpan) || ClientCallTimeout > TimeSpan.FromDays(1))
        {
            yield return new ValidationResult(
                $"ClientCallTimeout must be positive and at most a day, or {Timeout.InfiniteTimeSpan} for none (it is {ClientCallTimeout}).",
                [nameof(ClientCallTimeout)]);
        }

        if (RetainedPatternTopicTtl <= TimeSpan.Zero || RetainedPatternTopicTtl.TotalDays > 365)
        {
            yield return new ValidationResult(
                $"RetainedPatternTopicTtl must be positive and at most 365 days (it is {RetainedPatternTopicTtl}).",
                [nameof(RetainedPatternTopicTtl)]);
        }

        if (double.IsNaN(MessagesPerSecond) || double.IsInfinity(MessagesPerSecond))
        {
            yield return new ValidationResult(
                $"MessagesPerSecond must be a finite number of messages per second, or 0 for no limit (it is {MessagesPerSecond}).",
                [nameof(MessagesPerSecond)]);
        }

        // One message must fit the per-connection budgets, or the budget would say less than it bounds;
        // and the node's budget must hold at least one connection's.
        if (MaxInFlightBytes < MaxMessageSize)
        {
            yield return new ValidationResult(
                $"MaxInFlightBytes ({MaxInFlightBytes}) must be at least MaxMessageSize ({MaxMessageSize}).", [nameof(MaxInFlightBytes)]);
        }

        if (MaxOutboundBytes < MaxMessageSize)
        {
            yield return new ValidationResult(
                $"MaxOutboundBytes ({MaxOutboundBytes}) must be at least MaxMessageSize ({MaxMessageSize}).", [nameof(MaxOutboundBytes)]);
        }

        if (MaxNodeBufferedBytes < Math.Max(MaxInFlightBytes, MaxOutboundBytes))
        {
            yield return new ValidationResult(
                $"MaxNodeBufferedBytes ({MaxNodeBufferedBytes}) must be at least MaxInFlightBytes ({MaxInFlightBytes}) and MaxOutboundBytes ({MaxOutboundBytes}).",
                [nameof(MaxNodeBufferedBytes)]);
        }

        if (!Enum.IsDefined(SlowConsumerPolicy))
        {
            yield return new ValidationResult(
                $"SlowConsumerPolicy must be one of {string.Join(", ", Enum.GetNames<SlowConsumerPolicy>())}.", [nameof(SlowConsumerPolicy)]);
        }
    }
}
