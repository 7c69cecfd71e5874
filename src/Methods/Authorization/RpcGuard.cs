using Microsoft.AspNetCore.Authorization;

namespace ActorRpc.Methods.Authorization;

/// <summary>
/// What a method or topic asks of its caller: ASP.NET Core authorization data (<c>[Authorize]</c>,
/// policy names, roles), policies given as objects, and permissions. Combined into one
/// <see cref="AuthorizationPolicy"/> the way an endpoint's metadata is, once where the policy
/// provider allows caching (the default provider does).
/// </summary>
internal sealed class RpcGuard
{
    private readonly IAuthorizeData[] _authorizeData;
    private readonly AuthorizationPolicy[] _policies;
    private Task<AuthorizationPolicy>? _combined;

    public RpcGuard(IAuthorizeData[] authorizeData, AuthorizationPolicy[] policies, string[] permissions)
    {
        _authorizeData = authorizeData;
        _policies = policies;
        Permissions = permissions;
    }

    /// <summary>A guard asking what every one of <paramref name="guards"/> asks; null when none asks anything.</summary>
    public static RpcGuard? Combine(IEnumerable<RpcGuard?> guards)
    {
        var all = guards.OfType<RpcGuard>().Distinct().ToList();
        return all.Count switch
        {
            0 => null,
            1 => all[0],
            _ => new RpcGuard(
                [.. all.SelectMany(g => g._authorizeData)],
                [.. all.SelectMany(g => g._policies)],
                [.. all.SelectMany(g => g.Permissions).Distinct(StringComparer.Ordinal)]),
        };
    }

    /// <summary>The permissions the caller must all hold.</summary>
    public IReadOnlyList<string> Permissions { get; }

    /// <summary>The one policy a caller must satisfy.</summary>
    /// <exception cref="InvalidOperationException">A named policy does not exist.</exception>
    public Task<AuthorizationPolicy> PolicyAsync(IAuthorizationPolicyProvider provider, string permissionClaimType)
    {
        if (_combined is { } cached)
        {
            return cached;
        }

        var combined = CombineAsync(provider, permissionClaimType);
        if (provider.AllowsCachingPolicies)
        {
            _combined = combined;
        }

        return combined;
    }

    private async Task<AuthorizationPolicy> CombineAsync(IAuthorizationPolicyProvider provider, string permissionClaimType)
    {
        var policies = _policies.ToList();
        if (Permissions.Count > 0)
        {
            var permissions = new AuthorizationPolicyBuilder().RequireAuthenticatedUser();
            foreach (var permission in Permissions)
            {
                // One requirement each: every permission is needed, not any one of them.
                permissions.RequireClaim(permissionClaimType, permission);
            }

            policies.Add(permissions.Build());
        }

        // Null only when nothing is asked, which a guard never is (RpcGuardBuilder.Build).
        return await AuthorizationPolicy.CombineAsync(provider, _authorizeData, policies).ConfigureAwait(false)
            ?? throw new InvalidOperationException("A guard asks nothing.");
    }
}
