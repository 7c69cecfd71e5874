using System.Reflection;
using Microsoft.AspNetCore.Authorization;

namespace ActorRpc.Methods.Authorization;

/// <summary>
/// What a registration, a topic's options or a method's attributes ask of a caller, collected
/// while the application registers them; <see cref="Build"/> turns it into the guard the node uses.
/// </summary>
internal sealed class RpcGuardSpec
{
    private readonly List<IAuthorizeData> _authorizeData = [];
    private readonly List<AuthorizationPolicy> _policies = [];
    private readonly List<string> _permissions = [];

    /// <summary>Whether an <c>[AllowAnonymous]</c> (or <c>AllowAnonymous()</c>) lifts every other requirement, as it does for an ASP.NET Core endpoint.</summary>
    public bool AllowAnonymous { get; private set; }

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
    public void AllowAnyone() => AllowAnonymous = true;

    /// <summary>Adds what <paramref name="member"/>'s attributes ask: <c>[Authorize]</c>, <c>[AllowAnonymous]</c>, <c>[RequirePermission]</c>.</summary>
    public void AddAttributesOf(MemberInfo member)
    {
        foreach (var attribute in member.GetCustomAttributes(inherit: true))
        {
            switch (attribute)
            {
                case IAllowAnonymous:
                    AllowAnonymous = true;
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

    /// <summary>A spec asking what this one and <paramref name="other"/> ask together.</summary>
    public RpcGuardSpec With(RpcGuardSpec? other)
    {
        var combined = new RpcGuardSpec { AllowAnonymous = AllowAnonymous || (other?.AllowAnonymous ?? false) };
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
        AllowAnonymous || IsEmpty ? null : new RpcGuard([.. _authorizeData], [.. _policies], [.. _permissions.Distinct(StringComparer.Ordinal)]);
}
