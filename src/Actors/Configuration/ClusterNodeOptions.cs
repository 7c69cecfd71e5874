namespace ActorRpc.Actors.Configuration;

/// <summary>
/// Where this node listens for other nodes and how it finds them. Bound from <c>Cluster</c>
/// (<c>--Cluster:Port=4053 --Cluster:SeedNodes:0=akka.tcp://actor-rpc@10.0.0.5:4053</c>). With no
/// seed nodes the node forms a one-node cluster by itself.
/// </summary>
public sealed class ClusterNodeOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "Cluster";

    /// <summary>The address other nodes reach this one at. <b>Default:</b> <c>127.0.0.1</c>.</summary>
    public string Hostname { get; set; } = "127.0.0.1";

    /// <summary>The Akka.Remote port; 0 picks a free one (fine for a single node). <b>Default:</b> 0.</summary>
    public int Port { get; set; }

    /// <summary>Seed node addresses, <c>akka.tcp://actor-rpc@HOST:PORT</c>. <b>Default:</b> none (join itself).</summary>
    public IList<string> SeedNodes { get; } = [];

    /// <summary>This node's roles; methods can be hosted on nodes of a role. <b>Default:</b> none.</summary>
    public IList<string> Roles { get; } = [];
}
