using System.Reflection;
using Microsoft.AspNetCore.Authorization;

namespace ActorRpc.Methods.Authorization;

/// <summary>
/// What a registration, a topic's options or a method's attributes ask of a caller, collected
/// while the application registers them; <see cref="Build"/> turns it into the guard the node uses.
/// </summary>
internal sealed class RpcGuardBuilder
{
    private readonly List<IAuthorizeData> _authorizeData = [];
    private readonly List<AuthorizationPolicy> _policies = [];
    private readonly List<string> _permissions = [];

    /// <summary>Whether an <c>[AllowAnonymous]</c> (or <see cref="AllowAnonymous"/>) lifts every other requirement, as it does for an ASP.NET Core endpoint.</summary>
    public bool AllowsAnonymous { get; private set; }

    /// <summary>Whether anything is asked at all.</summary>
    public bool IsEmpty => _authorizeData.Count == 0 && _policies.Count == 0 && _permissions.Count == 0;

    /// <summary>Requires the named policies; none named means the default policy (an authenticated user, unless the app changed it).</summary>
    public void RequireAuthorization(IReadOnlyCollection<string> policyNames)
    {
        ArgumentNullException.ThrowIfNull(policyNames);
        if (policyNames.Count == 0)
        {
            _authorizeData.Add(new AuthorizeAttribute());
            return;
        }

        foreach (var name in policyNames)
        {
            ArgumentException.ThrowIfNullOrWhiteSpace(name, nameof(policyNames));
            _authorizeData.Add(new AuthorizeAttribute(name));
        }
    }

    /// <summary>Requires <paramref name="policy"/>.</summary>
    public void RequireAuthorization(AuthorizationPolicy policy)
    {
        ArgumentNullException.ThrowIfNull(policy);
        _policies.Add(policy);
    }

    /// <summary>Requires the policy <paramref name="configurePolicy"/> builds, as ASP.NET Core's <c>RequireAuthorization(p => ...)</c> does.</summary>
    public void RequireAuthorization(Action<AuthorizationPolicyBuilder> configurePolicy)
    {
        ArgumentNullException.ThrowIfNull(configurePolicy);
        var policy = new AuthorizationPolicyBuilder();
        configurePolicy(policy);
        RequireAuthorization(policy.Build());
    }

    /// <summary>Requires every one of <paramref name="permissions"/>.</summary>
    public void RequirePermission(IReadOnlyCollection<string> permissions)
    {
        ArgumentNullException.ThrowIfNull(permissions);
        if (permissions.Count == 0)
        {
            throw new ArgumentException("Name at least one permission.", nameof(permissions));
        }

        foreach (var permission in permissions)
        {
            ArgumentException.ThrowIfNullOrWhiteSpace(permission, nameof(permissions));
            _permissions.Add(permission);
        }
    }

    /// <summary>Lets anyone in, whatever else is asked.</summary>
    public void AllowAnonymous() => AllowsAnonymous = true;

    /// <summary>Adds what <paramref name="member"/>'s attributes ask: <c>[Authorize]</c>, <c>[AllowAnonymous]</c>, <c>[RequirePermission]</c>.</summary>
    public void AddAttributesOf(MemberInfo member)
    {
        foreach (var attribute in member.GetCustomAttributes(inherit: true))
        {
            switch (attribute)
            {
                case IAllowAnonymous:
                    AllowsAnonymous = true;
                    break;
                case IAuthorizeData data:
                    _authorizeData.Add(data);
                    break;
                case RequirePermissionAttribute permission:
                    _permissions.Add(permission.Permission);
                    break;
            }
        }
    }

    /// <summary>A builder asking what this one and <paramref name="other"/> ask together.</summary>
    public RpcGuardBuilder With(RpcGuardBuilder? other)
    {
        var combined = new RpcGuardBuilder { AllowsAnonymous = AllowsAnonymous || (other?.AllowsAnonymous ?? false) };
        combined._authorizeData.AddRange(_authorizeData);
        combined._policies.AddRange(_policies);
        combined._permissions.AddRange(_permissions);
        if (other is not null)
        {
            combined._authorizeData.AddRange(other._authorizeData);
            combined._policies.AddRange(other._policies);
            combined._permissions.AddRange(other._permissions);
        }

        return combined;
    }

    /// <summary>The guard, or null when anyone may call (nothing asked, or anonymous allowed).</summary>
    public RpcGuard? Build() =>
        AllowsAnonymous || IsEmpty ? null : new RpcGuard([.. _authorizeData], [.. _policies], [.. _permissions.Distinct(StringComparer.Ordinal)]);
}
