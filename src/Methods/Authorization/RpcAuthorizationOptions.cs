namespace ActorRpc;

/// <summary>How guards read the caller's user (<c>ActorRpc:Authorization</c>).</summary>
public sealed class RpcAuthorizationOptions
{
    /// <summary>The default <see cref="PermissionClaimType"/>.</summary>
    public const string DefaultPermissionClaimType = "permission";

    /// <summary>
    /// The claim type whose values are the caller's permissions, for <see cref="RequirePermissionAttribute"/>
    /// and <c>RequirePermission(...)</c>. <b>Default:</b> <c>permission</c>.
    /// </summary>
    public string PermissionClaimType { get; set; } = DefaultPermissionClaimType;
}
