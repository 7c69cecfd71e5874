using System.Text.Json;
using Akka.Actor;
using ActorRpc.Testing;
using ActorRpc.Tests.Infrastructure;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.DependencyInjection;

namespace ActorRpc.Tests.Security;

/// <summary>
/// Discovery answers each caller with what that caller may use: <c>get_methods</c> the methods it
/// may call (built-ins always), <c>get_topics</c> the topics and patterns it may subscribe to.
/// </summary>
public sealed class DiscoveryGuardSpec(DiscoveryGuardSpec.Fixture fixture) : IClassFixture<DiscoveryGuardSpec.Fixture>
{
    private static readonly string[] BuiltIns = ["authenticate", "get_methods", "get_subscriptions", "get_topics", "rpc.discover", "subscribe", "unsubscribe"];

    private static readonly TestCaller Admin = TestCaller.User(
        "root", roles: ["admin", "staff"], permissions: ["orders.write", "jobs.run", "admin", "vip"]);

    private ActorRpcTestServer App => fixture.App;

    [Fact]
    public async Task GetMethods_Anonymous_OpenMethodsAndBuiltIns()
    {
        var methods = await MethodsAsync(TestCaller.Anonymous);
        AssertSameSet([.. BuiltIns, "classy.lobby", "ping"], methods);
    }

    [Fact]
    public async Task GetMethods_User_AlsoWhatAnyUserMayCall()
    {
        var methods = await MethodsAsync(TestCaller.User("ada"));
        AssertSameSet([.. BuiltIns, "classy.lobby", "classy.secret", "members", "ping", "whoami"], methods);
    }

    [Fact]
    public async Task GetMethods_UserWithRoleAndPermission_AlsoThose()
    {
        var methods = await MethodsAsync(TestCaller.User("ada", roles: ["staff"], permissions: ["orders.write"]));
        AssertSameSet([.. BuiltIns, "classy.lobby", "classy.secret", "members", "ping", "staff_report", "whoami", "write_order"], methods);
    }

    [Fact]
    public async Task GetMethods_Admin_Everything()
    {
        var methods = await MethodsAsync(Admin);
        AssertSameSet(
            [.. BuiltIns, "actor_job", "admin_tool", "classy.lobby", "classy.secret", "members", "ping", "staff_report", "whoami", "write_order"],
            methods);
    }

    [Fact]
    public async Task GetMethods_ListedMethods_CanBeCalled_UnlistedRefused()
    {
        var caller = TestCaller.User("ada", roles: ["staff"]);
        await using var socket = await caller.ConnectAsync(App);
        var listed = Strings(JsonAssert.Result(await socket.CallAsync("get_methods")));
        foreach (var method in new[] { "ping", "whoami", "staff_report", "members" })
        {
            Assert.Contains(method, listed);
            GuardAssert.Allowed(await socket.CallAsync(method));
        }

        foreach (var method in new[] { "admin_tool", "write_order", "actor_job" })
        {
            Assert.DoesNotContain(method, listed);
            GuardAssert.NotPermitted(await socket.CallAsync(method));
        }
    }

    [Fact]
    public async Task GetTopics_Anonymous_OpenTopicsOnly()
    {
        AssertSameSet(["news.*", "public"], await TopicsAsync(TestCaller.Anonymous));
    }

    [Fact]
    public async Task GetTopics_User_AlsoMembersTopic()
    {
        AssertSameSet(["members", "news.*", "public"], await TopicsAsync(TestCaller.User("ada")));
    }

    [Fact]
    public async Task GetTopics_Admin_EveryTopicAndPattern()
    {
        AssertSameSet(["admin", "members", "news.*", "public", "staff", "vip.*"], await TopicsAsync(Admin));
    }

    [Fact]
    public async Task GetTopics_UserWithPermission_ThePatternItMayUse()
    {
        AssertSameSet(["members", "news.*", "public", "vip.*"], await TopicsAsync(TestCaller.User("ada", permissions: ["vip"])));
    }

    private async Task<string[]> MethodsAsync(TestCaller caller) => Strings(GuardAssert.Allowed(await caller.CallAsync(App, "get_methods")));

    private async Task<string[]> TopicsAsync(TestCaller caller) => Strings(GuardAssert.Allowed(await caller.CallAsync(App, "get_topics")));

    private static string[] Strings(JsonElement array) => [.. array.EnumerateArray().Select(e => e.GetString()!)];

    private static void AssertSameSet(string[] expected, string[] actual) =>
        Assert.Equal(expected.Order(StringComparer.Ordinal), actual.Order(StringComparer.Ordinal));

    public sealed class Fixture : GuardAppFixture
    {
        protected override void Register(IActorRpcBuilder rpc) => rpc
            .AddMethod("ping", () => "pong")
            .AddMethod("whoami", [Authorize] (RpcContext context) => context.User.Identity?.Name)
            .AddMethod("members", () => "members").RequireAuthorization()
            .AddMethod("staff_report", () => "report").RequireAuthorization("staff")
            .AddMethod("admin_tool", [Authorize(Roles = "admin")] () => "tool")
            .AddMethod("write_order", () => "written").RequirePermission("orders.write")
            .AddActorMethod("actor_job", Props.Create(() => new JobActor())).RequirePermission("jobs.run")
            .AddMethods<ClassGuardedMethods>("classy")
            .AddTopic("public")
            .AddTopic("members", topic => topic.RequireAuthorization())
            .AddTopic("staff", topic => topic.RequireAuthorization("staff"))
            .AddTopic("admin", topic => topic.RequirePermission("admin"))
            .AddTopicPattern("news.*")
            .AddTopicPattern("vip.*", topic => topic.RequirePermission("vip"));

        protected override void Policies(AuthorizationOptions options) => options.AddPolicy("staff", policy => policy.RequireRole("staff"));
    }

    private sealed class JobActor : ReceiveActor
    {
        public JobActor() => Receive<RpcInvocation>(_ => Sender.Tell(new RpcReply("done")));
    }
}
