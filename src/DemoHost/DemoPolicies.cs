namespace ActorRpc.DemoHost;

/// <summary>
/// The names the demo node's guards use: its one authorization policy and the permissions its
/// tokens carry (claims of the type <c>ActorRpc:Authorization:PermissionClaimType</c>).
/// </summary>
public static class DemoPolicies
{
    /// <summary>
    /// The policy of the demo method <c>publish</c>: the permission <see cref="PublishPermission"/>
    /// when the node authenticates (an <c>Authentication:Schemes:Bearer</c> section), open to anyone
    /// when it does not, so the demo still works out of the box.
    /// </summary>
    public const string Publish = "demo.publish";

    /// <summary>The permission a caller needs to call <c>publish</c> on a node that authenticates.</summary>
    public const string PublishPermission = "publish";

    /// <summary>The permission a caller needs to subscribe to the topic <c>admin</c>.</summary>
    public const string AdminPermission = "admin";
}
