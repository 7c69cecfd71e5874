using System.Security.Claims;
using Akka.Actor;
using ActorRpc.Methods.Authorization;
using ActorRpc.Methods.Definition;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.DependencyInjection;

namespace ActorRpc.Tests.Methods;

/// <summary>
/// What a registration's guard becomes without a server: a policy built in place
/// (<c>RequireAuthorization(p =&gt; ...)</c>) on a method registration and on a topic, and an actor
/// method guarded by its actor class's attributes.
/// </summary>
public sealed class GuardRegistrationSpec
{
    private static readonly ClaimsPrincipal Anonymous = new(new ClaimsIdentity());

    [Fact]
    public async Task MethodConvention_RequireAuthorizationWithBuilder_AsksTheBuiltPolicy()
    {
        var guard = new RpcGuardBuilder();
        new RpcMethodConventionBuilder(new ServiceCollection(), guard, new ActorRpc.Methods.Discovery.MethodDocsBuilder()).RequireAuthorization(policy => policy.RequireRole("ops"));

        await AssertRoleOpsAsync(guard.Build());
    }

    [Fact]
    public async Task TopicOptions_RequireAuthorizationWithBuilder_AsksTheBuiltPolicy()
    {
        var options = new RpcTopicOptions().RequireAuthorization(policy => policy.RequireRole("ops"));

        await AssertRoleOpsAsync(options.Guard);
    }

    [Fact]
    public void RequireAuthorizationWithBuilder_NullDelegate_Throws()
    {
        Assert.Throws<ArgumentNullException>(() => new RpcTopicOptions().RequireAuthorization((Action<AuthorizationPolicyBuilder>)null!));
    }

    [Fact]
    public async Task AddActorMethod_ActorClassAttributes_GuardTheMethod()
    {
        var catalog = Build(methods => methods
            .AddActorMethod("authorized", Props.Create<AuthorizedActor>())
            .AddActorMethod("permitted", Props.Create<PermissionActor>())
            .AddActorMethod("open", Props.Create<AnonymousActor>(), guard: Registration(g => g.RequireAuthorization([])))
            .AddActorMethod("plain", Props.Create<PlainActor>()));
        var authorizer = catalog.Authorizer;

        var authorized = catalog.Guard("authorized");
        Assert.Equal(RpcAccess.AuthenticationRequired, await authorizer.AuthorizeAsync(Anonymous, authorized, null));
        Assert.Equal(RpcAccess.Allowed, await authorizer.AuthorizeAsync(User("ada"), authorized, null));

        var permitted = catalog.Guard("permitted");
        Assert.Equal(RpcAccess.NotPermitted, await authorizer.AuthorizeAsync(User("ada"), permitted, null));
        Assert.Equal(RpcAccess.Allowed, await authorizer.AuthorizeAsync(User("ada", new Claim("permission", "jobs.run")), permitted, null));

        // [AllowAnonymous] on the actor class lifts the registration's requirement, as on a method's class.
        Assert.Null(catalog.Methods.Single(m => m.Name == "open").Guard);
        Assert.Null(catalog.Methods.Single(m => m.Name == "plain").Guard);
    }

    private static async Task AssertRoleOpsAsync(RpcGuard? guard)
    {
        Assert.NotNull(guard);
        var authorizer = RpcAuthorizer.Create(AuthorizationServices());
        Assert.Equal(RpcAccess.AuthenticationRequired, await authorizer.AuthorizeAsync(Anonymous, guard, null));
        Assert.Equal(RpcAccess.NotPermitted, await authorizer.AuthorizeAsync(User("ada"), guard, null));
        Assert.Equal(RpcAccess.Allowed, await authorizer.AuthorizeAsync(User("ada", new Claim(ClaimTypes.Role, "ops")), guard, null));
    }

    private static GuardedCatalog Build(Action<RpcMethodsBuilder> register)
    {
        var services = AuthorizationServices();
        var builder = new RpcMethodsBuilder();
        register(builder);
        return new GuardedCatalog(builder.Build(services, new RpcMethodsOptions()), services.GetRequiredService<RpcAuthorizer>());
    }

    private static ServiceProvider AuthorizationServices()
    {
        var services = new ServiceCollection().AddLogging().AddAuthorizationCore();
        services.AddSingleton(sp => RpcAuthorizer.Create(sp));
        return services.BuildServiceProvider();
    }

    private static RpcGuardBuilder Registration(Action<RpcGuardBuilder> configure)
    {
        var guard = new RpcGuardBuilder();
        configure(guard);
        return guard;
    }

    private static ClaimsPrincipal User(string name, params Claim[] claims) =>
        new(new ClaimsIdentity([new Claim(ClaimTypes.Name, name), .. claims], "test"));

    private sealed record GuardedCatalog(RpcMethodCatalog Catalog, RpcAuthorizer Authorizer)
    {
        public IReadOnlyList<RpcMethodDescriptor> Methods => Catalog.Methods;

        public RpcGuard Guard(string method) => Catalog.Methods.Single(m => m.Name == method).Guard ?? throw new InvalidOperationException($"{method} has no guard.");
    }

    [Authorize]
    private sealed class AuthorizedActor : ReceiveActor;

    [RequirePermission("jobs.run")]
    private sealed class PermissionActor : ReceiveActor;

    [AllowAnonymous]
    private sealed class AnonymousActor : ReceiveActor;

    private sealed class PlainActor : ReceiveActor;
}
