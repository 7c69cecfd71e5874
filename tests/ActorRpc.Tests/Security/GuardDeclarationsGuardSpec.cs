using System.Reflection;
using System.Security.Claims;
using ActorRpc.Methods.Authorization;
using ActorRpc.Methods.Definition;
using ActorRpc.Methods.Topics;
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

        // A subclass of a guarded class keeps its guard, as with [Authorize].
        Assert.True(usage.Inherited);
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
    public async Task ConventionBuilder_EveryRegistration_ChainsOnAndGuardsOnlyItsOwnMethods()
    {
        await using var app = GuardApp.Build(
            rpc =>
            {
                RpcMethodConventionBuilder method = rpc.AddMethod("one", () => 1);
                RpcMethodConventionBuilder methods = rpc.AddMethods<PlainMethods>("p");
                RpcMethodConventionBuilder instance = rpc.AddMethods(new PlainMethods(), "i");
                RpcMethodConventionBuilder statics = rpc.AddStaticMethods(typeof(PlainMethods), "s");
                RpcMethodConventionBuilder actor = rpc.AddActorMethod("actor", Akka.Actor.Props.Empty);

                IActorRpcBuilder chained = method.RequirePermission("a").RequireAuthorization().AddTopic("t").AddMethod("two", () => 2).AllowAnonymous();
                Assert.Same(rpc.Services, chained.Services);
                Assert.Same(rpc.Services, methods.RequireAuthorization("p1", "p2").Services);
                Assert.Same(rpc.Services, instance.RequireAuthorization(new AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build()).Services);
                Assert.Same(rpc.Services, statics.AllowAnonymous().Services);
                Assert.Same(rpc.Services, actor.RequirePermission("x", "y").Services);
                rpc.AddMethod("three", () => 3);
            },
            policies: options =>
            {
                options.AddPolicy("p1", policy => policy.RequireAuthenticatedUser());
                options.AddPolicy("p2", policy => policy.RequireAuthenticatedUser());
            });

        // Each guard landed on the registration just before it, and on no other.
        var catalog = app.Services.GetRequiredService<RpcMethodCatalog>();
        RpcGuard? GuardOf(string name) => catalog.Methods.Single(m => m.Name == name).Guard;
        IEnumerable<RpcGuard?> GuardsOf(string prefix) => catalog.Methods.Where(m => m.Name.StartsWith(prefix + ".", StringComparison.Ordinal)).Select(m => m.Guard);

        Assert.Equal(["a"], GuardOf("one")!.Permissions);
        Assert.Null(GuardOf("two"));
        Assert.Null(GuardOf("three"));
        Assert.Equal(["x", "y"], GuardOf("actor")!.Permissions);
        Assert.All(GuardsOf("p"), guard => Assert.Empty(Assert.IsType<RpcGuard>(guard).Permissions));
        Assert.All(GuardsOf("i"), guard => Assert.Empty(Assert.IsType<RpcGuard>(guard).Permissions));
        Assert.All(GuardsOf("s"), Assert.Null);
        Assert.Equal(2, GuardsOf("p").Count());
        Assert.Equal(2, GuardsOf("i").Count());
        Assert.Equal(2, GuardsOf("s").Count());
        Assert.Null(app.Services.GetRequiredService<TopicCatalog>().Find("t")!.Guard);
    }

    [Fact]
    public async Task TopicOptions_GuardsOnAPattern_GuardEveryTopicItCovers()
    {
        // Unlike RetainLatest, a guard suits a pattern: it applies to every topic the pattern covers.
        await using var app = GuardApp.Build(
            rpc => rpc
                .AddTopicPattern("a.*", topic => topic.RequirePermission("a"))
                .AddTopicPattern("b.*", topic => topic.RequireAuthorization("b"))
                .AddTopicPattern("c.*", topic => topic.RequireAuthorization())
                .AddTopicPattern("d.*", topic => topic.RequireAuthorization(new AuthorizationPolicyBuilder().RequireRole("d").Build()))
                .AddTopicPattern("e.*"),
            policies: options => options.AddPolicy("b", policy => policy.RequireAuthenticatedUser()));
        var topics = app.Services.GetRequiredService<TopicCatalog>();

        Assert.Equal(["a"], topics.Find("a.1")!.Guard!.Permissions);
        Assert.NotNull(topics.Find("b.1")!.Guard);
        Assert.NotNull(topics.Find("c.1")!.Guard);
        Assert.NotNull(topics.Find("d.1")!.Guard);
        Assert.Null(topics.Find("e.1")!.Guard);

        // get_topics evaluates the pattern's own guard, under the pattern's name.
        Assert.Same(topics.Find("a.1")!.Guard, topics.GuardOfListed("a.*"));
    }
}
