namespace ActorRpc;

/// <summary>
/// Where this node listens for other nodes, how it finds them, and how its actor system keeps
/// time, when ActorRpc runs its own actor system (or the application calls
/// <c>WithActorRpcCluster</c>). Bound from <c>Cluster</c>
/// (<c>--Cluster:Port=4053 --Cluster:SeedNodes:0=akka.tcp://actor-rpc@10.0.0.5:4053</c>). With no
/// seed nodes the node forms a one-node cluster by itself.
/// </summary>
public sealed class ClusterNodeOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "Cluster";

    /// <summary>The name of the actor system <c>AddActorRpc()</c> starts; the same on every node of a cluster.</summary>
    public const string DefaultActorSystemName = "actor-rpc";

    /// <summary>The address other nodes reach this one at. <b>Default:</b> <c>127.0.0.1</c>.</summary>
    public string Hostname { get; set; } = "127.0.0.1";

    /// <summary>The Akka.Remote port; 0 picks a free one (fine for a single node). <b>Default:</b> 0.</summary>
    public int Port { get; set; }

    /// <summary>Seed node addresses, <c>akka.tcp://actor-rpc@HOST:PORT</c>. <b>Default:</b> none (join itself).</summary>
    public IList<string> SeedNodes { get; } = [];

    /// <summary>This node's roles; methods can be hosted on nodes of a role. <b>Default:</b> none.</summary>
    public IList<string> Roles { get; } = [];

    /// <summary>
    /// How often the actor system's scheduler wakes to fire due timers (Akka's
    /// <c>akka.scheduler.tick-duration</c>): actor timers, the handler-timeout checks and the
    /// cluster's heartbeats fire up to this late. Each tick wakes a thread-pool thread, which then
    /// spins looking for work before it sleeps, so Akka's 10 ms default kept an idle node at about
    /// 8% of a core; 50 ms keeps it near 3% (issue #5, bench/README.md). <b>Default:</b> 50 ms.
    /// </summary>
    public TimeSpan SchedulerTick { get; set; } = TimeSpan.FromMilliseconds(50);

    /// <summary>
    /// The largest message between nodes, in bytes (Akka.Remote's <c>maximum-frame-size</c>, 128,000 by
    /// default there). A routed call's answer (up to <c>ActorRpc:Limits:MaxResponseSize</c>), a call to
    /// a client on another node and its client's answer (up to <c>ActorRpc:Limits:MaxMessageSize</c>)
    /// each cross as one message: one larger than this is dropped by the transport, and its call ends
    /// only at its timeout. Keep it above both limits. At least 128,000. <b>Default:</b> 17 MiB
    /// (the default MaxResponseSize, 16 MiB, and room for the envelope).
    /// </summary>
    public int MaxFrameSize { get; set; } = DefaultMaxFrameSize;

    /// <summary>The default of <see cref="MaxFrameSize"/>: 17 MiB.</summary>
    public const int DefaultMaxFrameSize = 17 * 1024 * 1024;

    /// <summary>
    /// TLS with mutual authentication between nodes (<c>Cluster:Tls</c>): on when
    /// <see cref="ClusterTlsOptions.CertificatePath"/> is set. <b>Default:</b> off.
    /// </summary>
    public ClusterTlsOptions Tls { get; } = new();
}
