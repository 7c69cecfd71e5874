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

    IEnumerable<ValidationResult> IValidatableObject.Validate(ValidationContext validationContext)
    {
        if (HandlerTimeout <= TimeSpan.Zero && HandlerTimeout != Timeout.InfiniteTimeSpan)
        {
            yield return new ValidationResult(
                $"HandlerTimeout must be positive, or {Timeout.InfiniteTimeSpan} for none (it is {HandlerTimeout}).",
                [nameof(HandlerTimeout)]);
        }

        if (!Enum.IsDefined(SlowConsumerPolicy))
        {
            yield return new ValidationResult(
                $"SlowConsumerPolicy must be one of {string.Join(", ", Enum.GetNames<SlowConsumerPolicy>())}.", [nameof(SlowConsumerPolicy)]);
        }
    }
}
