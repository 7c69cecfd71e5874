using ActorRpc.Methods.Authorization;
using Microsoft.AspNetCore.Authorization;

namespace ActorRpc;

/// <summary>How one declared topic (or every topic of a pattern) behaves, and who may subscribe to it.</summary>
public sealed class RpcTopicOptions
{
    private readonly RpcGuardBuilder _guard = new();
    private RpcGuard? _built;
    private bool _isBuilt;

    /// <summary>
    /// Whether every notification becomes the topic's state, sent to each new subscriber right after
    /// it subscribes, as if every publisher passed <c>retain: true</c>. For topics whose latest value
    /// is all a newcomer needs (a price, a status). Only for topics declared with <c>AddTopic</c>;
    /// a pattern refuses it. <b>Default:</b> false (only notifications published with
    /// <c>retain: true</c> are kept).
    /// </summary>
    public bool RetainLatest { get; set; }

    /// <summary>
    /// A short text saying what the topic carries, listed with it in <c>rpc.discover</c>'s
    /// <c>x-topics</c>. <b>Default:</b> null (none).
    /// </summary>
    public string? Summary { get; set; }

    /// <summary>
    /// Lets only callers satisfying the named authorization policies (all of them) subscribe; with
    /// no name, the default policy (an authenticated user, unless the application changed it).
    /// An anonymous subscriber gets -32010, a user the policy refuses -32011, and
    /// <c>get_topics</c> lists the topic only to callers who may subscribe. The policy's resource
    /// is the topic's name. Publishing from the server is not guarded; a method that publishes is
    /// guarded as a method.
    /// </summary>
    /// <param name="policyNames">Policies registered with <c>AddAuthorization</c>; a name that does not exist fails start-up.</param>
    /// <returns>The same options.</returns>
    public RpcTopicOptions RequireAuthorization(params string[] policyNames)
    {
        _guard.RequireAuthorization(policyNames);
        return this;
    }

    /// <summary>Lets only callers satisfying <paramref name="policy"/> subscribe.</summary>
    /// <param name="policy">The policy, built with <c>AuthorizationPolicyBuilder</c>.</param>
    /// <returns>The same options.</returns>
    public RpcTopicOptions RequireAuthorization(AuthorizationPolicy policy)
    {
        _guard.RequireAuthorization(policy);
        return this;
    }

    /// <summary>
    /// Lets only callers satisfying the policy <paramref name="configurePolicy"/> builds subscribe,
    /// as in <c>t.RequireAuthorization(p =&gt; p.RequireRole("ops"))</c>. The policy's resource is the
    /// topic's name.
    /// </summary>
    /// <param name="configurePolicy">Adds the policy's requirements to a new <see cref="AuthorizationPolicyBuilder"/>.</param>
    /// <returns>The same options.</returns>
    public RpcTopicOptions RequireAuthorization(Action<AuthorizationPolicyBuilder> configurePolicy)
    {
        _guard.RequireAuthorization(configurePolicy);
        return this;
    }

    /// <summary>
    /// Lets only callers holding every one of <paramref name="permissions"/> subscribe: claims of
    /// type <see cref="RpcAuthorizationOptions.PermissionClaimType"/> (<c>permission</c> by default).
    /// </summary>
    /// <param name="permissions">The permission values required.</param>
    /// <returns>The same options.</returns>
    public RpcTopicOptions RequirePermission(params string[] permissions)
    {
        _guard.RequirePermission(permissions);
        return this;
    }

    /// <summary>Who may subscribe; null for anyone. Fixed the first time it is read (the node has started by then).</summary>
    internal RpcGuard? Guard
    {
        get
        {
            if (!_isBuilt)
            {
                _built = _guard.Build();
                _isBuilt = true;
            }

            return _built;
        }
    }
}
