using System.Reflection;
using System.Security.Claims;
using ActorRpc.Tests.Infrastructure;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace ActorRpc.Tests.Security;

/// <summary>
/// The declarations of issue 13 without a server: the attribute's usage, the options' defaults and
/// binding, the anonymous principal, and the convention builder chaining like the builder it is.
/// </summary>
public sealed class GuardDeclarationsGuardSpec
{
    [Fact]
    public void RequirePermission_OnClassOrMethod_RepeatableAndInherited()
    {
        var usage = typeof(RequirePermissionAttribute).GetCustomAttribute<AttributeUsageAttribute>()!;
        Assert.True(usage.AllowMultiple);
        Assert.True(usage.ValidOn.HasFlag(AttributeTargets.Method));
        Assert.True(usage.ValidOn.HasFlag(AttributeTargets.Class));
        Assert.Equal(2, typeof(GuardedMethods).GetMethod(nameof(GuardedMethods.ApproveOrder))!.GetCustomAttributes<RequirePermissionAttribute>().Count());
    }

    [Fact]
    public void PermissionClaimType_Default_Permission()
    {
        Assert.Equal("permission", new RpcAuthorizationOptions().PermissionClaimType);
        Assert.Equal("permission", new ActorRpcOptions().Authorization.PermissionClaimType);
    }

    [Fact]
    public async Task PermissionClaimType_CommandLine_Overrides()
    {
        await using var app = GuardApp.Build(rpc => rpc.AddMethod("one", () => 1), args: ["--ActorRpc:Authorization:PermissionClaimType=scope"]);
        Assert.Equal("scope", app.Services.GetRequiredService<IOptions<ActorRpcOptions>>().Value.Authorization.PermissionClaimType);
    }

    [Fact]
    public void RpcContext_NoUserGiven_AnonymousNotNull()
    {
        var context = new RpcContext("s1", null, "websocket", "m", "1", new ServiceCollection().BuildServiceProvider());
        Assert.NotNull(context.User);
        Assert.False(context.User.Identity?.IsAuthenticated ?? false);
        Assert.Null(context.User.Identity?.Name);
    }

    [Fact]
    public void RpcContext_UserGiven_IsThatUser()
    {
        var user = new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.Name, "ada")], "test"));
        var context = new RpcContext("s1", null, "websocket", "m", "1", new ServiceCollection().BuildServiceProvider()) { User = user };
        Assert.Same(user, context.User);
    }

    [Fact]
    public void ConventionBuilder_EveryRegistration_ReturnsOneThatChainsOn()
    {
        var services = new ServiceCollection();
        var rpc = services.AddActorRpc();

        RpcMethodConventionBuilder method = rpc.AddMethod("one", () => 1);
        RpcMethodConventionBuilder methods = rpc.AddMethods<PlainMethods>("p");
        RpcMethodConventionBuilder instance = rpc.AddMethods(new PlainMethods(), "i");
        RpcMethodConventionBuilder statics = rpc.AddStaticMethods(typeof(PlainMethods), "s");
        RpcMethodConventionBuilder actor = rpc.AddActorMethod("actor", Akka.Actor.Props.Empty);

        IActorRpcBuilder chained = method.RequirePermission("a").RequireAuthorization().AddTopic("t").AddMethod("two", () => 2).AllowAnonymous();
        Assert.Same(services, chained.Services);
        Assert.Same(services, methods.RequireAuthorization("p1", "p2").Services);
        Assert.Same(services, instance.RequireAuthorization(new AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build()).Services);
        Assert.Same(services, statics.AllowAnonymous().Services);
        Assert.Same(services, actor.RequirePermission("x", "y").Services);
    }

    [Fact]
    public void TopicOptions_GuardsOnAPattern_Accepted()
    {
        // Unlike RetainLatest, a guard suits a pattern: it applies to every topic the pattern covers.
        var rpc = new ServiceCollection().AddActorRpc()
            .AddTopicPattern("a.*", topic => topic.RequirePermission("a"))
            .AddTopicPattern("b.*", topic => topic.RequireAuthorization("b"))
            .AddTopicPattern("c.*", topic => topic.RequireAuthorization())
            .AddTopicPattern("d.*", topic => topic.RequireAuthorization(new AuthorizationPolicyBuilder().RequireRole("d").Build()));
        Assert.NotNull(rpc);
    }
}
