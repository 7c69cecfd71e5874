using System.Text.Json;
using ActorRpc.Testing;
using ActorRpc.Tests.Infrastructure;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.DependencyInjection;

namespace ActorRpc.Tests.Security;

/// <summary>
/// Guards declared with attributes on a class's [RpcMethod] methods (issue 13), over a real socket:
/// each allows the right caller and refuses the others with -32010 (anonymous) or -32011 (lacking).
/// </summary>
public sealed class MethodGuardSpec(MethodGuardSpec.Fixture fixture) : IClassFixture<MethodGuardSpec.Fixture>
{
    private static readonly TestCaller Anonymous = TestCaller.Anonymous;

    private ActorRpcTestServer App => fixture.App;

    [Fact]
    public async Task Open_AnyCaller_Allowed()
    {
        Assert.Equal("open", GuardAssert.Allowed(await Anonymous.CallAsync(App, "open")).GetString());
        Assert.Equal("open", GuardAssert.Allowed(await TestCaller.User("ada").CallAsync(App, "open")).GetString());
    }

    [Fact]
    public async Task Authorize_Anonymous_AuthenticationRequired() =>
        GuardAssert.AuthenticationRequired(await Anonymous.CallAsync(App, "signed_in"));

    [Fact]
    public async Task Authorize_AnyUser_Allowed() =>
        Assert.Equal("ada", GuardAssert.Allowed(await TestCaller.User("ada").CallAsync(App, "signed_in")).GetString());

    [Fact]
    public async Task PolicyWithAssertion_UserPassesTest_AllowedOthersRefused()
    {
        GuardAssert.AuthenticationRequired(await Anonymous.CallAsync(App, "passes_test"));
        GuardAssert.NotPermitted(await TestCaller.User("bob@elsewhere.test").CallAsync(App, "passes_test"));
        Assert.Equal("passed", GuardAssert.Allowed(await TestCaller.User("ada@staff.test").CallAsync(App, "passes_test")).GetString());
    }

    [Fact]
    public async Task PolicyWithRequiredClaim_ClaimValueDecides()
    {
        GuardAssert.AuthenticationRequired(await Anonymous.CallAsync(App, "gold"));
        GuardAssert.NotPermitted(await TestCaller.User("ada").CallAsync(App, "gold"));
        GuardAssert.NotPermitted(await TestCaller.User("ada", claims: ["badge=silver"]).CallAsync(App, "gold"));
        Assert.Equal("gold", GuardAssert.Allowed(await TestCaller.User("ada", claims: ["badge=gold"]).CallAsync(App, "gold")).GetString());
    }

    [Fact]
    public async Task Roles_OnlyTheRole_Allowed()
    {
        GuardAssert.AuthenticationRequired(await Anonymous.CallAsync(App, "admin_only"));
        GuardAssert.NotPermitted(await TestCaller.User("ada").CallAsync(App, "admin_only"));
        GuardAssert.NotPermitted(await TestCaller.User("ada", roles: ["staff"]).CallAsync(App, "admin_only"));
        Assert.Equal("admin", GuardAssert.Allowed(await TestCaller.User("ada", roles: ["staff", "admin"]).CallAsync(App, "admin_only")).GetString());
    }

    [Fact]
    public async Task RequirePermission_PermissionClaimDecides()
    {
        GuardAssert.AuthenticationRequired(await Anonymous.CallAsync(App, "write_order"));
        GuardAssert.NotPermitted(await TestCaller.User("ada").CallAsync(App, "write_order"));
        GuardAssert.NotPermitted(await TestCaller.User("ada", permissions: ["orders.read"]).CallAsync(App, "write_order"));
        GuardAssert.NotPermitted(await TestCaller.User("ada", roles: ["orders.write"]).CallAsync(App, "write_order")); // a role is not a permission
        Assert.Equal("written", GuardAssert.Allowed(await TestCaller.User("ada", permissions: ["orders.write"]).CallAsync(App, "write_order")).GetString());
    }

    [Fact]
    public async Task TwoRequirePermissions_BothNeeded()
    {
        GuardAssert.AuthenticationRequired(await Anonymous.CallAsync(App, "approve_order"));
        GuardAssert.NotPermitted(await TestCaller.User("ada", permissions: ["orders.write"]).CallAsync(App, "approve_order"));
        GuardAssert.NotPermitted(await TestCaller.User("ada", permissions: ["orders.approve"]).CallAsync(App, "approve_order"));
        Assert.Equal(
            "approved",
            GuardAssert.Allowed(await TestCaller.User("ada", permissions: ["orders.write", "orders.approve"]).CallAsync(App, "approve_order")).GetString());
    }

    [Fact]
    public async Task AuthorizeOnClass_AppliesToEveryMethod_ButAllowAnonymousMethodOpen()
    {
        GuardAssert.AuthenticationRequired(await Anonymous.CallAsync(App, "classy.secret"));
        Assert.Equal("secret", GuardAssert.Allowed(await TestCaller.User("ada").CallAsync(App, "classy.secret")).GetString());
        Assert.Equal("lobby", GuardAssert.Allowed(await Anonymous.CallAsync(App, "classy.lobby")).GetString());
        Assert.Equal("lobby", GuardAssert.Allowed(await TestCaller.User("ada").CallAsync(App, "classy.lobby")).GetString());
    }

    [Fact]
    public async Task RequirePermissionOnClassAndMethod_BothNeeded()
    {
        GuardAssert.AuthenticationRequired(await Anonymous.CallAsync(App, "reports.export"));
        GuardAssert.NotPermitted(await TestCaller.User("ada", permissions: ["reports"]).CallAsync(App, "reports.export"));
        GuardAssert.NotPermitted(await TestCaller.User("ada", permissions: ["reports.export"]).CallAsync(App, "reports.export"));
        GuardAssert.Allowed(await TestCaller.User("ada", permissions: ["reports", "reports.export"]).CallAsync(App, "reports.export"));
        GuardAssert.NotPermitted(await TestCaller.User("ada").CallAsync(App, "reports.list"));
        GuardAssert.Allowed(await TestCaller.User("ada", permissions: ["reports"]).CallAsync(App, "reports.list"));
    }

    [Fact]
    public async Task GuardedMethod_BadParams_GuardAnswersFirst()
    {
        await using (var anonymous = await Anonymous.ConnectAsync(App))
        {
            GuardAssert.AuthenticationRequired(await anonymous.CallAsync("add", new object[] { "one", "two" }));
            GuardAssert.AuthenticationRequired(await anonymous.CallAsync("add", new[] { 1 }));
            GuardAssert.AuthenticationRequired(await anonymous.CallAsync("scale", new { nope = true }));
        }

        await using var lacking = await TestCaller.User("ada").ConnectAsync(App);
        GuardAssert.NotPermitted(await lacking.CallAsync("scale", new object[] { "one", "two" }));
        GuardAssert.NotPermitted(await lacking.CallAsync("scale", new { nope = true }));
    }

    [Fact]
    public async Task GuardedMethod_BadParamsFromAllowedCaller_InvalidParams()
    {
        await using var socket = await TestCaller.User("ada", permissions: ["orders.write"]).ConnectAsync(App);
        JsonAssert.Error(await socket.CallAsync("add", new object[] { "one", "two" }), -32602);
        JsonAssert.Error(await socket.CallAsync("scale", new { nope = true }), -32602);
        Assert.Equal(3, GuardAssert.Allowed(await socket.CallAsync("add", new[] { 1, 2 })).GetInt64());
        Assert.Equal(6, GuardAssert.Allowed(await socket.CallAsync("scale", new[] { 2, 3 })).GetInt64());
    }

    [Fact]
    public async Task Refusals_NeverCloseTheConnection()
    {
        await using var socket = await TestCaller.User("ada").ConnectAsync(App);
        GuardAssert.NotPermitted(await socket.CallAsync("admin_only"));
        GuardAssert.NotPermitted(await socket.CallAsync("write_order"));
        Assert.Equal("ada", GuardAssert.Allowed(await socket.CallAsync("signed_in")).GetString());
    }

    [Fact]
    public async Task RefusedNotification_NoAnswerAndHandlerNeverRuns()
    {
        var before = GuardedMethods.CountedCalls;
        await using (var anonymous = await Anonymous.ConnectAsync(App))
        {
            await anonymous.SendAsync("""{"jsonrpc":"2.0","method":"counted"}""");
            await anonymous.ExpectNoMessageAsync();
            GuardAssert.AuthenticationRequired(await anonymous.CallAsync("counted"));
        }

        Assert.Equal(before, GuardedMethods.CountedCalls);
        await using var user = await TestCaller.User("ada").ConnectAsync(App);
        GuardAssert.Allowed(await user.CallAsync("counted"));
        Assert.Equal(before + 1, GuardedMethods.CountedCalls);
    }

    [Fact]
    public async Task Batch_EachCallGuardedOnItsOwn()
    {
        await using var socket = await TestCaller.User("ada").ConnectAsync(App);
        await socket.SendAsync("""
            [{"jsonrpc":"2.0","method":"signed_in","id":1},
             {"jsonrpc":"2.0","method":"write_order","id":2},
             {"jsonrpc":"2.0","method":"open","id":3},
             {"jsonrpc":"2.0","method":"admin_only"}]
            """);
        JsonAssert.BatchEquivalent(
            """
            [{"jsonrpc":"2.0","id":1,"result":"ada"},
             {"jsonrpc":"2.0","id":2,"error":{"code":-32011,"message":"Not permitted"}},
             {"jsonrpc":"2.0","id":3,"result":"open"}]
            """,
            await socket.ReceiveAsync());

        await using var anonymous = await Anonymous.ConnectAsync(App);
        await anonymous.SendAsync("""[{"jsonrpc":"2.0","method":"signed_in","id":"a"},{"jsonrpc":"2.0","method":"open","id":"b"}]""");
        JsonAssert.BatchEquivalent(
            """
            [{"jsonrpc":"2.0","id":"a","error":{"code":-32010,"message":"Authentication required"}},
             {"jsonrpc":"2.0","id":"b","result":"open"}]
            """,
            await anonymous.ReceiveAsync());
    }

    [Fact]
    public async Task Handler_SeesCallersNameAndClaims()
    {
        var caller = TestCaller.User("ada", roles: ["admin", "staff"], permissions: ["orders.write", "orders.read"], claims: ["badge=gold"]);
        var me = GuardAssert.Allowed(await caller.CallAsync(App, "who_am_i"));

        Assert.True(me.GetProperty("hasUser").GetBoolean());
        Assert.True(me.GetProperty("authenticated").GetBoolean());
        Assert.Equal("ada", me.GetProperty("name").GetString());
        Assert.Equal(["admin", "staff"], Strings(me.GetProperty("roles")));
        Assert.Equal(["orders.write", "orders.read"], Strings(me.GetProperty("permissions")));
        Assert.Equal("gold", me.GetProperty("badge").GetString());
        Assert.True(me.GetProperty("isAdmin").GetBoolean());
    }

    [Fact]
    public async Task Handler_AnonymousCaller_UserNotNullAndNotAuthenticated()
    {
        var me = GuardAssert.Allowed(await Anonymous.CallAsync(App, "who_am_i"));

        Assert.True(me.GetProperty("hasUser").GetBoolean());
        Assert.False(me.GetProperty("authenticated").GetBoolean());
        Assert.Equal(JsonValueKind.Null, me.GetProperty("name").ValueKind);
        Assert.Empty(me.GetProperty("roles").EnumerateArray());
        Assert.Empty(me.GetProperty("permissions").EnumerateArray());
    }

    [Fact]
    public async Task HttpPost_GuardsApplyAsOnTheSocket()
    {
        GuardAssert.AuthenticationRequired(await PostAsync(Anonymous, "signed_in"));
        GuardAssert.NotPermitted(await PostAsync(TestCaller.User("ada"), "write_order"));
        Assert.Equal("written", GuardAssert.Allowed(await PostAsync(TestCaller.User("ada", permissions: ["orders.write"]), "write_order")).GetString());
    }

    [Fact]
    public async Task RequirePermission_OtherPermissionClaimType_OnlyThatClaimCounts()
    {
        await using var app = await GuardApp.StartAsync(
            rpc => rpc.AddMethods<GuardedMethods>().AddMethod("export", () => "exported").RequirePermission("orders.write"),
            GuardedMethods.AddPolicies,
            settings: new Dictionary<string, string> { ["ActorRpc:Authorization:PermissionClaimType"] = "scope" });

        foreach (var method in new[] { "write_order", "export" })
        {
            GuardAssert.AuthenticationRequired(await Anonymous.CallAsync(app, method));
            GuardAssert.NotPermitted(await TestCaller.User("ada", permissions: ["orders.write"]).CallAsync(app, method)); // claim "permission" no longer counts
            GuardAssert.NotPermitted(await TestCaller.User("ada", claims: ["scope=orders.read"]).CallAsync(app, method));
            GuardAssert.Allowed(await TestCaller.User("ada", claims: ["scope=orders.write"]).CallAsync(app, method));
        }
    }

    [Fact]
    public async Task HttpPost_GetMethods_ListsWhatThatCallerMayCall()
    {
        var anonymous = Strings(GuardAssert.Allowed(await PostAsync(Anonymous, "get_methods")));
        var writer = Strings(GuardAssert.Allowed(await PostAsync(TestCaller.User("ada", permissions: ["orders.write"]), "get_methods")));

        Assert.Contains("open", anonymous);
        Assert.DoesNotContain("signed_in", anonymous);
        Assert.DoesNotContain("write_order", anonymous);
        Assert.Contains("signed_in", writer);
        Assert.Contains("write_order", writer);
        Assert.DoesNotContain("admin_only", writer);
    }

    private Task<JsonElement> PostAsync(TestCaller caller, string method) => caller.PostAsync(App, method);

    private static string[] Strings(JsonElement array) => [.. array.EnumerateArray().Select(e => e.GetString()!)];

    public sealed class Fixture : GuardAppFixture
    {
        protected override void Register(IActorRpcBuilder rpc) => rpc.AddMethods<GuardedMethods>().AddMethods<ClassGuardedMethods>("classy").AddMethods<ReportMethods>("reports");

        protected override void Policies(AuthorizationOptions options) => GuardedMethods.AddPolicies(options);
    }
}
