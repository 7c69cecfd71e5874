using ActorRpc.Testing;
using ActorRpc.Tests.Infrastructure;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.DependencyInjection;

namespace ActorRpc.Tests.Security;

/// <summary>
/// Guards on delegates (<c>AddMethod(...).RequireAuthorization/RequirePermission</c>, [Authorize] on
/// the lambda) and on whole registrations (<c>AddMethods&lt;T&gt;().RequireAuthorization()</c>),
/// which apply to the methods of that registration only.
/// </summary>
public sealed class DelegateGuardSpec(DelegateGuardSpec.Fixture fixture) : IClassFixture<DelegateGuardSpec.Fixture>
{
    private static readonly TestCaller Anonymous = TestCaller.Anonymous;

    private ActorRpcTestServer App => fixture.App;

    [Fact]
    public async Task RequireAuthorizationWithPolicy_PolicyDecides()
    {
        GuardAssert.AuthenticationRequired(await Anonymous.CallAsync(App, "staff_report"));
        GuardAssert.NotPermitted(await TestCaller.User("ada").CallAsync(App, "staff_report"));
        Assert.Equal("report", GuardAssert.Allowed(await TestCaller.User("ada", roles: ["staff"]).CallAsync(App, "staff_report")).GetString());
    }

    [Fact]
    public async Task RequireAuthorizationWithoutPolicy_AnyUser()
    {
        GuardAssert.AuthenticationRequired(await Anonymous.CallAsync(App, "members_only"));
        Assert.Equal("members", GuardAssert.Allowed(await TestCaller.User("ada").CallAsync(App, "members_only")).GetString());
    }

    [Fact]
    public async Task RequireAuthorizationWithPolicyObject_PolicyDecides()
    {
        GuardAssert.AuthenticationRequired(await Anonymous.CallAsync(App, "badge_holders"));
        GuardAssert.NotPermitted(await TestCaller.User("ada").CallAsync(App, "badge_holders"));
        GuardAssert.Allowed(await TestCaller.User("ada", claims: ["badge=any"]).CallAsync(App, "badge_holders"));
    }

    [Fact]
    public async Task RequirePermission_PermissionDecides()
    {
        GuardAssert.AuthenticationRequired(await Anonymous.CallAsync(App, "read_reports"));
        GuardAssert.NotPermitted(await TestCaller.User("ada", permissions: ["reports.write"]).CallAsync(App, "read_reports"));
        Assert.Equal(7, GuardAssert.Allowed(await TestCaller.User("ada", permissions: ["reports.read"]).CallAsync(App, "read_reports", new[] { 7 })).GetInt32());
    }

    [Fact]
    public async Task RequirePermissionWithTwo_BothNeeded()
    {
        GuardAssert.AuthenticationRequired(await Anonymous.CallAsync(App, "purge"));
        GuardAssert.NotPermitted(await TestCaller.User("ada", permissions: ["reports.read"]).CallAsync(App, "purge"));
        GuardAssert.NotPermitted(await TestCaller.User("ada", permissions: ["reports.delete"]).CallAsync(App, "purge"));
        GuardAssert.Allowed(await TestCaller.User("ada", permissions: ["reports.read", "reports.delete"]).CallAsync(App, "purge"));
    }

    [Fact]
    public async Task AuthorizeOnLambda_AnyUser()
    {
        GuardAssert.AuthenticationRequired(await Anonymous.CallAsync(App, "lambda_whoami"));
        Assert.Equal("ada", GuardAssert.Allowed(await TestCaller.User("ada").CallAsync(App, "lambda_whoami")).GetString());
    }

    [Fact]
    public async Task AuthorizeWithRolesOnLambda_OnlyTheRole()
    {
        GuardAssert.AuthenticationRequired(await Anonymous.CallAsync(App, "lambda_admin"));
        GuardAssert.NotPermitted(await TestCaller.User("ada", roles: ["staff"]).CallAsync(App, "lambda_admin"));
        GuardAssert.Allowed(await TestCaller.User("ada", roles: ["admin"]).CallAsync(App, "lambda_admin"));
    }

    [Fact]
    public async Task GuardedDelegate_BadParams_GuardFirstThenInvalidParams()
    {
        GuardAssert.AuthenticationRequired(await Anonymous.CallAsync(App, "read_reports", new[] { "seven" }));
        GuardAssert.NotPermitted(await TestCaller.User("ada").CallAsync(App, "read_reports", new[] { "seven" }));
        JsonAssert.Error(await TestCaller.User("ada", permissions: ["reports.read"]).CallAsync(App, "read_reports", new[] { "seven" }), -32602);
    }

    [Fact]
    public async Task RequireAuthorizationOnAddMethods_EveryMethodOfThatRegistration()
    {
        await using var anonymous = await Anonymous.ConnectAsync(App);
        GuardAssert.AuthenticationRequired(await anonymous.CallAsync("guarded.hello"));
        GuardAssert.AuthenticationRequired(await anonymous.CallAsync("guarded.goodbye"));

        await using var user = await TestCaller.User("ada").ConnectAsync(App);
        Assert.Equal("hello", GuardAssert.Allowed(await user.CallAsync("guarded.hello")).GetString());
        Assert.Equal("goodbye", GuardAssert.Allowed(await user.CallAsync("guarded.goodbye")).GetString());
    }

    [Fact]
    public async Task RequireAuthorizationOnAddMethods_OtherRegistrationsStayOpen()
    {
        await using var anonymous = await Anonymous.ConnectAsync(App);
        Assert.Equal("hello", GuardAssert.Allowed(await anonymous.CallAsync("open.hello")).GetString()); // the same class, registered again
        Assert.Equal("goodbye", GuardAssert.Allowed(await anonymous.CallAsync("open.goodbye")).GetString());
        Assert.Equal("before", GuardAssert.Allowed(await anonymous.CallAsync("before")).GetString());
        Assert.Equal("after", GuardAssert.Allowed(await anonymous.CallAsync("after")).GetString());
    }

    [Fact]
    public async Task RequirePermissionOnAddMethods_AddsToTheClassesOwnGuards()
    {
        // [Authorize] on the class and RequirePermission on the registration: both must pass.
        GuardAssert.AuthenticationRequired(await Anonymous.CallAsync(App, "perm.secret"));
        GuardAssert.NotPermitted(await TestCaller.User("ada").CallAsync(App, "perm.secret"));
        Assert.Equal("secret", GuardAssert.Allowed(await TestCaller.User("ada", permissions: ["classy"]).CallAsync(App, "perm.secret")).GetString());

        // A method's own [AllowAnonymous] still opens it, as it opens an ASP.NET Core endpoint.
        Assert.Equal("lobby", GuardAssert.Allowed(await Anonymous.CallAsync(App, "perm.lobby")).GetString());
    }

    [Fact]
    public async Task RequireAuthorizationWithTwoPolicies_BothNeeded()
    {
        GuardAssert.AuthenticationRequired(await Anonymous.CallAsync(App, "staff_with_badge"));
        GuardAssert.NotPermitted(await TestCaller.User("ada", roles: ["staff"]).CallAsync(App, "staff_with_badge"));
        GuardAssert.NotPermitted(await TestCaller.User("ada", claims: ["badge=gold"]).CallAsync(App, "staff_with_badge"));
        GuardAssert.Allowed(await TestCaller.User("ada", roles: ["staff"], claims: ["badge=gold"]).CallAsync(App, "staff_with_badge"));
    }

    [Fact]
    public async Task ConventionsOnInstanceAndStaticRegistrations_Apply()
    {
        GuardAssert.AuthenticationRequired(await Anonymous.CallAsync(App, "inst.hello"));
        GuardAssert.Allowed(await TestCaller.User("ada").CallAsync(App, "inst.hello"));
        GuardAssert.AuthenticationRequired(await Anonymous.CallAsync(App, "static.hello"));
        GuardAssert.NotPermitted(await TestCaller.User("ada").CallAsync(App, "static.hello"));
        GuardAssert.Allowed(await TestCaller.User("ada", permissions: ["static"]).CallAsync(App, "static.hello"));
    }

    [Fact]
    public async Task AllowAnonymousOnAddMethods_LiftsTheClassesAuthorize()
    {
        Assert.Equal("secret", GuardAssert.Allowed(await Anonymous.CallAsync(App, "lifted.secret")).GetString());
        Assert.Equal("lobby", GuardAssert.Allowed(await Anonymous.CallAsync(App, "lifted.lobby")).GetString());
    }

    public sealed class Fixture : GuardAppFixture
    {
        protected override void Register(IActorRpcBuilder rpc) => rpc
            .AddMethod("before", () => "before")
            .AddMethod("staff_report", () => "report").RequireAuthorization("staff")
            .AddMethod("staff_with_badge", () => "both").RequireAuthorization("staff", "badge")
            .AddMethod("members_only", () => "members").RequireAuthorization()
            .AddMethod("badge_holders", () => "badge").RequireAuthorization(new AuthorizationPolicyBuilder().RequireClaim("badge").Build())
            .AddMethod("read_reports", (int count) => count).RequirePermission("reports.read")
            .AddMethod("purge", () => "purged").RequirePermission("reports.read", "reports.delete")
            .AddMethod("lambda_whoami", [Authorize] (RpcContext context) => context.User.Identity?.Name)
            .AddMethod("lambda_admin", [Authorize(Roles = "admin")] () => "admin")
            .AddMethods<PlainMethods>("guarded").RequireAuthorization()
            .AddMethods<PlainMethods>("open")
            .AddMethods<ClassGuardedMethods>("perm").RequirePermission("classy")
            .AddMethods<ClassGuardedMethods>("lifted").AllowAnonymous()
            .AddMethods(new PlainMethods(), "inst").RequireAuthorization()
            .AddStaticMethods(typeof(PlainMethods), "static").RequirePermission("static")
            .AddMethod("after", () => "after");

        protected override void Policies(AuthorizationOptions options)
        {
            options.AddPolicy("staff", policy => policy.RequireRole("staff"));
            options.AddPolicy("badge", policy => policy.RequireClaim("badge"));
        }
    }
}

/// <summary>Methods without guards of their own, for guards given by their registration.</summary>
public sealed class PlainMethods
{
    [RpcMethod]
    public static string Hello() => "hello";

    [RpcMethod]
    public static string Goodbye() => "goodbye";
}
