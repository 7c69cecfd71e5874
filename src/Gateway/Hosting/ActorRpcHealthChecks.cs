namespace ActorRpc;

/// <summary>
/// The health checks <c>AddActorRpc()</c> registers: whether every method router is up, and whether
/// the node is an Up cluster member that accepts connections. An application with health endpoints
/// of its own can include them by tag.
/// </summary>
public static class ActorRpcHealthChecks
{
    /// <summary>The tag of the checks that say whether the node can serve (what <c>/ready</c> of <c>MapActorRpcHealthChecks</c> runs).</summary>
    public const string ReadyTag = "actorrpc-ready";
}
