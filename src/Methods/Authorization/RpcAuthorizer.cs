using System.Security.Claims;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.DependencyInjection;

namespace ActorRpc.Methods.Authorization;

/// <summary>
/// Decides whether a caller passes a guard, with the application's own
/// <see cref="IAuthorizationService"/> and policies, as ASP.NET Core's authorization middleware
/// decides for an endpoint: a refusal of a caller without an authenticated identity is a challenge
/// (-32010), of one with an identity a forbid (-32011). Never blocks: handlers may be asynchronous.
/// </summary>
/// <param name="scopes">A scope per decision, as a request has one: authorization handlers may be scoped services.</param>
/// <param name="policies">Resolves policy names.</param>
/// <param name="permissionClaimType">ActorRpc:Authorization:PermissionClaimType.</param>
internal sealed class RpcAuthorizer(IServiceScopeFactory scopes, IAuthorizationPolicyProvider policies, string permissionClaimType)
{
    /// <summary>The authorizer of a service provider with ASP.NET Core authorization's services (<c>AddAuthorizationCore</c>).</summary>
    public static RpcAuthorizer Create(IServiceProvider services, string permissionClaimType = RpcAuthorizationOptions.DefaultPermissionClaimType) =>
        new(services.GetRequiredService<IServiceScopeFactory>(), services.GetRequiredService<IAuthorizationPolicyProvider>(), permissionClaimType);

    /// <summary>The message of -32010, for every refusal of a caller without a user (methods, topics, <c>authenticate</c>).</summary>
    public const string AuthenticationRequiredMessage = "Authentication required";

    /// <summary>The message of -32011, for every refusal of a user without the right.</summary>
    public const string NotPermittedMessage = "Not permitted";

    /// <summary>The refusal of a caller without a user.</summary>
    public static RpcException AuthenticationRequired() =>
        new((int)JsonRpcErrorCode.AuthenticationRequired, AuthenticationRequiredMessage);

    /// <summary>The refusal of a user without the right.</summary>
    public static RpcException NotPermitted() =>
        new((int)JsonRpcErrorCode.NotPermitted, NotPermittedMessage);

    /// <summary>The error a refused caller gets; null when <paramref name="access"/> is <see cref="RpcAccess.Allowed"/>.</summary>
    public static RpcException? Refusal(RpcAccess access) => access switch
    {
        RpcAccess.AuthenticationRequired => AuthenticationRequired(),
        RpcAccess.NotPermitted => NotPermitted(),
        _ => null,
    };

    /// <summary>Whether <paramref name="user"/> (null: anonymous) passes <paramref name="guard"/> for <paramref name="resource"/> (the call's context, or a topic name).</summary>
    public async ValueTask<RpcAccess> AuthorizeAsync(ClaimsPrincipal? user, RpcGuard guard, object? resource)
    {
        user ??= new ClaimsPrincipal(new ClaimsIdentity());
        var policy = await guard.PolicyAsync(policies, permissionClaimType).ConfigureAwait(false);
        var scope = scopes.CreateAsyncScope();
        await using (scope.ConfigureAwait(false))
        {
            var authorization = scope.ServiceProvider.GetRequiredService<IAuthorizationService>();
            var result = await authorization.AuthorizeAsync(user, resource, policy).ConfigureAwait(false);
            if (result.Succeeded)
            {
                return RpcAccess.Allowed;
            }
        }

        return user.Identities.Any(identity => identity.IsAuthenticated) ? RpcAccess.NotPermitted : RpcAccess.AuthenticationRequired;
    }

    /// <summary>Resolves <paramref name="guard"/>'s policy now, so a policy name that does not exist fails at start-up rather than at the first call.</summary>
    public Task CheckAsync(RpcGuard guard) => guard.PolicyAsync(policies, permissionClaimType);
}
