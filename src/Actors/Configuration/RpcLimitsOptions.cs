using System.ComponentModel.DataAnnotations;

namespace ActorRpc.Actors.Configuration;

/// <summary>Limits on what one client may send. Bound from <c>ActorRpc:Limits</c>; see docs/limits.md.</summary>
public sealed class RpcLimitsOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "ActorRpc:Limits";

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
    /// How many frames may wait to be written to one WebSocket. A client that lets more pile up is
    /// closed with 1008 (Policy Violation), so a slow reader cannot grow the server's memory.
    /// <b>Default:</b> 1024.
    /// </summary>
    [Range(1, 1_000_000)]
    public int MaxOutboundQueue { get; set; } = 1024;

    /// <summary>
    /// How many topics one connection may subscribe to; past it, <c>subscribe</c> is -32602. Bounds
    /// what one client can make every node track. <b>Default:</b> 1000.
    /// </summary>
    [Range(1, 1_000_000)]
    public int MaxSubscriptionsPerSession { get; set; } = 1000;
}
