using System.Collections.Immutable;
using System.Security.Claims;
using System.Text;
using ActorRpc.Actors.Sessions;
using ActorRpc.Actors.Topics;
using ActorRpc.Methods.Authorization;
using ActorRpc.Methods.Topics;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.DependencyInjection;

namespace ActorRpc.Tests.Security;

/// <summary>
/// The guard machinery without a server: what a spec builds into a guard, how the authorizer
/// decides (-32010 for no user, -32011 for a user lacking), and how <c>subscribe</c> and
/// <c>get_topics</c> carry out a decision.
/// </summary>
public sealed class RpcAuthorizerGuardSpec
{
    private static readonly ClaimsPrincipal Anonymous = new(new ClaimsIdentity());

    [Fact]
    public void Spec_NothingAsked_NoGuard() => Assert.Null(new RpcGuardBuilder().Build());

    [Fact]
    public void Spec_AllowAnonymous_LiftsEverything()
    {
        var spec = new RpcGuardBuilder();
        spec.RequireAuthorization(["staff"]);
        spec.RequirePermission(["p"]);
        spec.AllowAnonymous();
        Assert.Null(spec.Build());
    }

    [Fact]
    public void Spec_RequirePermissionOfNothing_Refused() =>
        Assert.Throws<ArgumentException>(() => new RpcGuardBuilder().RequirePermission([]));

    [Fact]
    public void Spec_Attributes_ClassAuthorizeAndMethodAllowAnonymous()
    {
        var secret = new RpcGuardBuilder();
        secret.AddAttributesOf(typeof(ClassGuardedMethods));
        secret.AddAttributesOf(typeof(ClassGuardedMethods).GetMethod(nameof(ClassGuardedMethods.Secret))!);
        Assert.NotNull(secret.Build());

        var lobby = new RpcGuardBuilder();
        lobby.AddAttributesOf(typeof(ClassGuardedMethods));
        lobby.AddAttributesOf(typeof(ClassGuardedMethods).GetMethod(nameof(ClassGuardedMethods.Lobby))!);
        Assert.Null(lobby.Build());
    }

    [Fact]
    public async Task Authorize_DefaultPolicy_AnonymousNeedsAuthenticationUserAllowed()
    {
        var authorizer = Authorizer();
        var guard = Guard(spec => spec.RequireAuthorization([]));
        Assert.Equal(RpcAccess.AuthenticationRequired, await authorizer.AuthorizeAsync(Anonymous, guard, null));
        Assert.Equal(RpcAccess.Allowed, await authorizer.AuthorizeAsync(User("ada"), guard, null));
    }

    [Fact]
    public async Task Authorize_Roles_LackingUserNotPermitted()
    {
        var authorizer = Authorizer();
        var guard = Guard(spec => spec.AddAttributesOf(typeof(GuardedMethods).GetMethod(nameof(GuardedMethods.AdminOnly))!));
        Assert.Equal(RpcAccess.AuthenticationRequired, await authorizer.AuthorizeAsync(Anonymous, guard, null));
        Assert.Equal(RpcAccess.NotPermitted, await authorizer.AuthorizeAsync(User("ada"), guard, null));
        Assert.Equal(RpcAccess.Allowed, await authorizer.AuthorizeAsync(User("ada", new Claim(ClaimTypes.Role, "admin")), guard, null));
    }

    [Fact]
    public async Task Authorize_TwoPermissions_BothNeeded()
    {
        var authorizer = Authorizer();
        var guard = Guard(spec => spec.RequirePermission(["a", "b"]));
        Assert.Equal(RpcAccess.AuthenticationRequired, await authorizer.AuthorizeAsync(Anonymous, guard, null));
        Assert.Equal(RpcAccess.NotPermitted, await authorizer.AuthorizeAsync(User("ada", new Claim("permission", "a")), guard, null));
        Assert.Equal(RpcAccess.NotPermitted, await authorizer.AuthorizeAsync(User("ada", new Claim("permission", "b")), guard, null));
        Assert.Equal(RpcAccess.Allowed, await authorizer.AuthorizeAsync(User("ada", new Claim("permission", "a"), new Claim("permission", "b")), guard, null));
    }

    [Fact]
    public async Task Authorize_OtherPermissionClaimType_OnlyThatTypeCounts()
    {
        var authorizer = Authorizer(permissionClaimType: "scope");
        var guard = Guard(spec => spec.RequirePermission(["a"]));
        Assert.Equal(RpcAccess.NotPermitted, await authorizer.AuthorizeAsync(User("ada", new Claim("permission", "a")), guard, null));
        Assert.Equal(RpcAccess.Allowed, await authorizer.AuthorizeAsync(User("ada", new Claim("scope", "a")), guard, null));
    }

    [Fact]
    public async Task Authorize_PolicyGetsTheResource()
    {
        var authorizer = Authorizer(options => options.AddPolicy("orders-only", policy => policy.RequireAssertion(context => context.Resource is "orders")));
        var guard = Guard(spec => spec.RequireAuthorization(["orders-only"]));
        Assert.Equal(RpcAccess.Allowed, await authorizer.AuthorizeAsync(User("ada"), guard, "orders"));
        Assert.Equal(RpcAccess.NotPermitted, await authorizer.AuthorizeAsync(User("ada"), guard, "invoices"));
    }

    [Fact]
    public async Task Authorize_PolicyObjectAndNamedPolicy_BothNeeded()
    {
        var authorizer = Authorizer(options => options.AddPolicy("staff", policy => policy.RequireRole("staff")));
        var guard = Guard(spec =>
        {
            spec.RequireAuthorization(["staff"]);
            spec.RequireAuthorization(new AuthorizationPolicyBuilder().RequireClaim("badge").Build());
        });
        Assert.Equal(RpcAccess.NotPermitted, await authorizer.AuthorizeAsync(User("ada", new Claim(ClaimTypes.Role, "staff")), guard, null));
        Assert.Equal(RpcAccess.NotPermitted, await authorizer.AuthorizeAsync(User("ada", new Claim("badge", "x")), guard, null));
        Assert.Equal(RpcAccess.Allowed, await authorizer.AuthorizeAsync(User("ada", new Claim(ClaimTypes.Role, "staff"), new Claim("badge", "x")), guard, null));
    }

    [Fact]
    public async Task Check_UnknownPolicy_ThrowsNamingIt()
    {
        var authorizer = Authorizer();
        var guard = Guard(spec => spec.RequireAuthorization(["no-such-policy"]));
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => authorizer.CheckAsync(guard));
        Assert.Contains("no-such-policy", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Refusal_CodesAndMessages_NoData()
    {
        Assert.Null(RpcAuthorizer.Refusal(RpcAccess.Allowed));
        var authentication = RpcAuthorizer.Refusal(RpcAccess.AuthenticationRequired)!;
        Assert.Equal((-32010, "Authentication required", null), (authentication.Code, authentication.Message, authentication.ErrorData));
        var permission = RpcAuthorizer.Refusal(RpcAccess.NotPermitted)!;
        Assert.Equal((-32011, "Not permitted", null), (permission.Code, permission.Message, permission.ErrorData));
    }

    [Theory]
    [InlineData((int)RpcAccess.AuthenticationRequired, -32010)]
    [InlineData((int)RpcAccess.NotPermitted, -32011)]
    public void Subscribe_RefusedDecision_NothingChanges(int access, int code)
    {
        var before = ImmutableSortedSet.Create(StringComparer.Ordinal, "public");
        var answer = SessionBuiltIns.Answer(
            "subscribe", Params("""["public","admin"]"""), before, Topics(), 10, PatternTopicBudget.CreateUnlimited(), singleExchange: false,
            new GuardDecision.Subscribe((RpcAccess)access))!;

        Assert.Equal(code, answer.Error?.Code);
        Assert.Same(before, answer.Subscriptions);
        Assert.Empty(answer.Subscribe);
    }

    [Fact]
    public void Subscribe_UnknownTopicBesideRefused_InvalidParamsFirst()
    {
        var answer = SessionBuiltIns.Answer(
            "subscribe", Params("""["admin","nope"]"""), SessionBuiltIns.NoSubscriptions, Topics(), 10, PatternTopicBudget.CreateUnlimited(), singleExchange: false,
            new GuardDecision.Subscribe(RpcAccess.AuthenticationRequired))!;
        Assert.Equal(-32602, answer.Error?.Code);
    }

    [Fact]
    public void Subscribe_GuardedTopicWithoutDecision_RefusedNotLetThrough()
    {
        var answer = SessionBuiltIns.Answer(
            "subscribe", Params("""["admin"]"""), SessionBuiltIns.NoSubscriptions, Topics(), 10, PatternTopicBudget.CreateUnlimited(), singleExchange: false)!;
        Assert.NotNull(answer.Error);
        Assert.Empty(answer.Subscribe);
    }

    [Fact]
    public void GetTopics_WithoutDecision_OnlyUnguarded()
    {
        var answer = SessionBuiltIns.Answer(
            "get_topics", default, SessionBuiltIns.NoSubscriptions, Topics(), 10, PatternTopicBudget.CreateUnlimited(), singleExchange: false)!;
        Assert.Equal(["news.*", "public"], (string[])answer.Result.Value!);
    }

    private static TopicCatalog Topics() => new RpcTopicsBuilder()
        .AddTopic("public")
        .AddTopic("admin", new RpcTopicOptions().RequirePermission("admin"))
        .AddTopicPattern("news.*")
        .AddTopicPattern("vip.*", new RpcTopicOptions().RequirePermission("vip"))
        .Build();

    private static ReadOnlyMemory<byte> Params(string json) => Encoding.UTF8.GetBytes(json);

    private static RpcGuard Guard(Action<RpcGuardBuilder> configure)
    {
        var spec = new RpcGuardBuilder();
        configure(spec);
        return spec.Build()!;
    }

    private static ClaimsPrincipal User(string name, params Claim[] claims) =>
        new(new ClaimsIdentity([new Claim(ClaimTypes.Name, name), .. claims], "test"));

    private static RpcAuthorizer Authorizer(Action<AuthorizationOptions>? policies = null, string permissionClaimType = "permission")
    {
        var services = new ServiceCollection().AddLogging().AddAuthorizationCore(options => policies?.Invoke(options)).BuildServiceProvider();
        return RpcAuthorizer.Create(services, permissionClaimType);
    }
}
