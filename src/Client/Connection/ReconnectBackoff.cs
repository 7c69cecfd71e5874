namespace ActorRpc.Client;

/// <summary>
/// The wait before the first reconnect attempt after a drop. A connection that died young (up for
/// less than <see cref="RpcReconnectOptions.MaxDelay"/>) does not reset the backoff, so a server that
/// accepts and drops at once is not hammered; the jitter spreads the clients of a restarted server.
/// </summary>
internal static class ReconnectBackoff
{
    /// <summary>
    /// <paramref name="youngDrops"/> drops in a row of connections that died young (0 after a
    /// connection that stayed up): about <c>InitialDelay × 2^youngDrops</c>, capped at <c>MaxDelay</c>,
    /// times a random factor in [0.5, 1).
    /// </summary>
    public static TimeSpan FirstDelay(RpcReconnectOptions options, int youngDrops, double random)
    {
        // Capped before doubling: the exponent alone would overflow after some 60 young drops.
        var doublings = Math.Min(youngDrops, 30);
        var full = Math.Min(options.InitialDelay.TotalMilliseconds * Math.Pow(2, doublings), options.MaxDelay.TotalMilliseconds);
        return TimeSpan.FromMilliseconds(full * (0.5 + (random / 2)));
    }

    /// <summary>Whether a connection that lasted <paramref name="lived"/> counts as having stayed up (and resets the backoff).</summary>
    public static bool StayedUp(RpcReconnectOptions options, TimeSpan lived) => lived >= options.MaxDelay;
}
