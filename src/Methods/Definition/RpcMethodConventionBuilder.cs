using ActorRpc.Methods.Authorization;
using ActorRpc.Methods.Discovery;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.DependencyInjection;

namespace ActorRpc;

/// <summary>
/// What <c>AddMethods</c>, <c>AddMethod</c> and <c>AddActorMethod</c> return: says who may call the
/// methods of that one registration, as an endpoint convention builder does for an ASP.NET Core
/// endpoint, and carries on registering (it is an <see cref="IActorRpcBuilder"/> of the same node).
/// What it asks adds to the methods' own <c>[Authorize]</c> and <c>[RequirePermission]</c>
/// attributes; an <c>[AllowAnonymous]</c> on a method still lets anyone call that method.
/// </summary>
/// <example>
/// <code>
/// builder.Services.AddActorRpc()
///     .AddMethods&lt;Orders&gt;("orders").RequirePermission("orders.write")
///     .AddMethod("stats", () => Stats.Now).RequireAuthorization("Staff");
/// </code>
/// </example>
public sealed class RpcMethodConventionBuilder : IActorRpcBuilder
{
    private readonly RpcGuardBuilder _guard;
    private readonly MethodDocsBuilder _docs;

    internal RpcMethodConventionBuilder(IServiceCollection services, RpcGuardBuilder guard, MethodDocsBuilder docs)
    {
        Services = services;
        _guard = guard;
        _docs = docs;
    }

    /// <inheritdoc/>
    public IServiceCollection Services { get; }

    /// <summary>
    /// Lets only callers satisfying the named authorization policies (all of them) call these
    /// methods; with no name, the default policy (an authenticated user, unless the application
    /// changed it). Anonymous callers get -32010, users the policy refuses -32011.
    /// </summary>
    /// <param name="policyNames">Policies registered with <c>AddAuthorization</c>; a name that does not exist fails start-up.</param>
    /// <returns>The same builder.</returns>
    public RpcMethodConventionBuilder RequireAuthorization(params string[] policyNames)
    {
        _guard.RequireAuthorization(policyNames);
        return this;
    }

    /// <summary>Lets only callers satisfying <paramref name="policy"/> call these methods.</summary>
    /// <param name="policy">The policy, built with <c>AuthorizationPolicyBuilder</c>.</param>
    /// <returns>The same builder.</returns>
    public RpcMethodConventionBuilder RequireAuthorization(AuthorizationPolicy policy)
    {
        _guard.RequireAuthorization(policy);
        return this;
    }

    /// <summary>
    /// Lets only callers satisfying the policy <paramref name="configurePolicy"/> builds call these
    /// methods, as in <c>.RequireAuthorization(p =&gt; p.RequireRole("ops"))</c>. Anonymous callers
    /// the policy refuses get -32010, users it refuses -32011.
    /// </summary>
    /// <param name="configurePolicy">Adds the policy's requirements to a new <see cref="AuthorizationPolicyBuilder"/>.</param>
    /// <returns>The same builder.</returns>
    public RpcMethodConventionBuilder RequireAuthorization(Action<AuthorizationPolicyBuilder> configurePolicy)
    {
        _guard.RequireAuthorization(configurePolicy);
        return this;
    }

    /// <summary>
    /// Lets only callers holding every one of <paramref name="permissions"/> call these methods: claims
    /// of type <see cref="RpcAuthorizationOptions.PermissionClaimType"/> (<c>permission</c> by default).
    /// </summary>
    /// <param name="permissions">The permission values required.</param>
    /// <returns>The same builder.</returns>
    public RpcMethodConventionBuilder RequirePermission(params string[] permissions)
    {
        _guard.RequirePermission(permissions);
        return this;
    }

    /// <summary>Lets anyone call these methods, whatever their attributes or this builder ask.</summary>
    /// <returns>The same builder.</returns>
    public RpcMethodConventionBuilder AllowAnonymous()
    {
        _guard.AllowAnonymous();
        return this;
    }

    /// <summary>
    /// Gives these methods the summary <c>rpc.discover</c> lists, instead of their
    /// <c>[EndpointSummary]</c>, <c>[Description]</c> or XML <c>&lt;summary&gt;</c>: for a delegate or an
    /// actor, which have no comments of their own. On a registration of several methods it is every method's.
    /// </summary>
    /// <param name="summary">A short text saying what the method does.</param>
    /// <returns>The same builder.</returns>
    public RpcMethodConventionBuilder WithSummary(string summary)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(summary);
        _docs.Summary = summary;
        return this;
    }

    /// <summary>Gives these methods the longer description <c>rpc.discover</c> lists, instead of their <c>[EndpointDescription]</c> or XML <c>&lt;remarks&gt;</c>.</summary>
    /// <param name="description">What a caller should know beyond the summary.</param>
    /// <returns>The same builder.</returns>
    public RpcMethodConventionBuilder WithDescription(string description)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(description);
        _docs.Description = description;
        return this;
    }

    /// <summary>
    /// Declares an error these methods may answer with, listed in their <c>errors</c> by
    /// <c>rpc.discover</c>, as <see cref="ProducesRpcErrorAttribute"/> declares one on a method. It documents;
    /// the method's own <see cref="RpcException"/> sends it.
    /// </summary>
    /// <param name="code">The error's code.</param>
    /// <param name="message">What the error's message says.</param>
    /// <returns>The same builder.</returns>
    public RpcMethodConventionBuilder ProducesRpcError(int code, string message)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(message);
        _docs.AddError(code, message);
        return this;
    }
}
