namespace ActorRpc;

/// <summary>
/// Lets only callers holding <see cref="Permission"/> call this method (or every method of this
/// class), as aiohttp-json-rpc's <c>permission_required</c> does. A permission is a claim of type
/// <see cref="RpcAuthorizationOptions.PermissionClaimType"/> (<c>permission</c> by default) with
/// this value; several attributes require them all. An anonymous caller gets -32010, a user
/// without the permission -32011.
/// </summary>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Method, AllowMultiple = true, Inherited = true)]
public sealed class RequirePermissionAttribute : Attribute
{
    /// <summary>Requires <paramref name="permission"/>.</summary>
    /// <param name="permission">The value of the permission claim the caller must hold.</param>
    public RequirePermissionAttribute(string permission)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(permission);
        Permission = permission;
    }

    /// <summary>The value of the permission claim the caller must hold.</summary>
    public string Permission { get; }
}
