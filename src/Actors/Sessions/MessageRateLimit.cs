using System.Threading.RateLimiting;

namespace ActorRpc.Actors.Sessions;

/// <summary>
/// One WebSocket connection's token bucket (<c>ActorRpc:Limits:MessagesPerSecond</c> and
/// <c>MessageBurst</c>): every request or notification, batch entries one each, takes a token.
/// Owned by its session actor and used only from its mailbox.
/// </summary>
/// <remarks>
/// The bucket is replenished by hand, from the elapsed time, each time a token is asked for
/// (<see cref="TokenBucketRateLimiter.TryReplenish"/> with auto-replenishment off): no timer per
/// connection, so an idle connection costs nothing but the object, and only once it has sent
/// something (the session creates this lazily; none at all while the limit is off). Nothing here
/// waits: <see cref="TryTake"/> is <see cref="RateLimiter.AttemptAcquire"/>, never a queue.
/// </remarks>
internal sealed class MessageRateLimit : IDisposable
{
    private readonly TokenBucketRateLimiter _bucket;
    private readonly TimeSpan _tokenPeriod;

    private MessageRateLimit(double messagesPerSecond, int burst)
    {
        // One token per period of 1/rate: the bucket's fill rate is exactly the configured rate, fractions included.
        _tokenPeriod = TimeSpan.FromTicks(Math.Max(1, (long)Math.Round(TimeSpan.TicksPerSecond / messagesPerSecond)));
        _bucket = new TokenBucketRateLimiter(new TokenBucketRateLimiterOptions
        {
            TokenLimit = burst,
            TokensPerPeriod = 1,
            ReplenishmentPeriod = _tokenPeriod,
            QueueLimit = 0,
            AutoReplenishment = false,
        });
    }

    /// <summary>The bucket for <paramref name="limits"/>; null when the limit is off (MessagesPerSecond 0).</summary>
    public static MessageRateLimit? For(RpcLimitsOptions limits)
    {
        if (limits.MessagesPerSecond <= 0)
        {
            return null;
        }

        var burst = limits.MessageBurst > 0 ? limits.MessageBurst : (int)Math.Min(int.MaxValue, Math.Ceiling(limits.MessagesPerSecond));
        return new MessageRateLimit(limits.MessagesPerSecond, Math.Max(1, burst));
    }

    /// <summary>Takes one token: true when the message may run; otherwise false and how long until a token is back.</summary>
    public bool TryTake(out TimeSpan retryAfter)
    {
        _bucket.TryReplenish();
        using var lease = _bucket.AttemptAcquire(1);
        if (lease.IsAcquired)
        {
            retryAfter = TimeSpan.Zero;
            return true;
        }

        retryAfter = lease.TryGetMetadata(MetadataName.RetryAfter, out var after) && after > TimeSpan.Zero ? after : _tokenPeriod;
        return false;
    }

    public void Dispose() => _bucket.Dispose();
}
