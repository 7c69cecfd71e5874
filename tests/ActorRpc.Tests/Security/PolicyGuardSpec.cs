using System.Text.Json;
using Akka.Actor;
using ActorRpc.Tests.Infrastructure;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.DependencyInjection;

namespace ActorRpc.Tests.Security;

/// <summary>
/// How policies are evaluated: asynchronously without blocking other calls, with the call's
/// <see cref="RpcContext"/> as the resource, and checked for existence when the node starts.
/// </summary>
public sealed class PolicyGuardSpec
{
    [Fact]
    public async Task AsyncRequirementHandler_AwaitsWithoutBlockingOtherCalls()
    {
        var handler = new GatedRequirementHandler();
        await using var app = await GuardApp.StartAsync(
            rpc => rpc.AddMethod("gated", (RpcContext context) => context.User.Identity?.Name).RequireAuthorization("gated")
                .AddActorMethod("gated_actor", Props.Create(() => new NameActor())).RequireAuthorization("gated")
                .AddMethod("open", () => "open")
                .AddTopic("gated_topic", topic => topic.RequireAuthorization("gated")),
            options => options.AddPolicy("gated", policy => policy.AddRequirements(new GatedRequirement())),
            services => services.AddSingleton<IAuthorizationHandler>(handler));

        // The slow caller's guards wait on the gate: its three calls (a task method, an actor
        // method, a subscribe) stay in flight.
        await using var slow = await TestCaller.User(GatedRequirementHandler.SlowUser, permissions: [GatedRequirementHandler.Permission]).ConnectAsync(app);
        await slow.SendAsync("""{"jsonrpc":"2.0","method":"gated","id":"task"}""");
        await slow.SendAsync("""{"jsonrpc":"2.0","method":"gated_actor","id":"actor"}""");
        await slow.SendAsync("""{"jsonrpc":"2.0","method":"subscribe","params":["gated_topic"],"id":"topic"}""");
        await Eventually.AssertAsync(() => Assert.Equal(3, handler.Waiting));

        // Meanwhile, the same guards answer others, allowed and refused (decided asynchronously
        // too), and the held caller's own connection serves another call.
        var fast = TestCaller.User("fast", permissions: [GatedRequirementHandler.Permission]);
        Assert.Equal("fast", GuardAssert.Allowed(await fast.CallAsync(app, "gated")).GetString());
        Assert.Equal("fast", GuardAssert.Allowed(await fast.CallAsync(app, "gated_actor")).GetString());
        GuardAssert.Allowed(await fast.CallAsync(app, "subscribe", new[] { "gated_topic" }));
        GuardAssert.NotPermitted(await TestCaller.User("lacking").CallAsync(app, "gated"));
        GuardAssert.NotPermitted(await TestCaller.User("lacking").CallAsync(app, "gated_actor"));
        GuardAssert.NotPermitted(await TestCaller.User("lacking").CallAsync(app, "subscribe", new[] { "gated_topic" }));
        GuardAssert.AuthenticationRequired(await TestCaller.Anonymous.CallAsync(app, "gated"));
        Assert.Equal("open", GuardAssert.Allowed(await slow.CallAsync("open")).GetString());
        await slow.ExpectNoMessageAsync();

        handler.Gate.SetResult();
        var held = new Dictionary<string, JsonElement>();
        for (var i = 0; i < 3; i++)
        {
            var response = await slow.ReceiveJsonAsync();
            held[response.GetProperty("id").GetString()!] = GuardAssert.Allowed(response);
        }

        Assert.Equal(GatedRequirementHandler.SlowUser, held["task"].GetString());
        Assert.Equal(GatedRequirementHandler.SlowUser, held["actor"].GetString());
        Assert.Equal(["gated_topic"], held["topic"].EnumerateArray().Select(e => e.GetString()));
    }

    [Fact]
    public async Task Refusals_AreNoWarningsInTheLog()
    {
        // A refusal is an ordinary answer to a client (as 401/403 are): nothing for operators to act on.
        await using var app = await GuardApp.StartAsync(rpc => rpc
            .AddMethod("task", () => 1).RequirePermission("p")
            .AddActorMethod("actor", Props.Create(() => new NameActor())).RequirePermission("p")
            .AddTopic("topic", topic => topic.RequirePermission("p")));

        foreach (var caller in new[] { TestCaller.Anonymous, TestCaller.User("ada") })
        {
            await using var socket = await caller.ConnectAsync(app);
            GuardAssert.RefusedFor(caller, await socket.CallAsync("task"));
            GuardAssert.RefusedFor(caller, await socket.CallAsync("actor"));
            GuardAssert.RefusedFor(caller, await socket.CallAsync("subscribe", new[] { "topic" }));
            GuardAssert.Allowed(await socket.CallAsync("get_methods"));
            GuardAssert.Allowed(await socket.CallAsync("get_topics"));
        }

        Assert.Empty(app.Logs.Entries.Where(entry => entry.Level >= Microsoft.Extensions.Logging.LogLevel.Warning).Select(entry => entry.ToString()));
    }

    [Fact]
    public async Task PolicyResource_IsTheCallsRpcContext()
    {
        await using var app = await GuardApp.StartAsync(
            rpc => rpc.AddMethod("read_things", () => "read").RequireAuthorization("read-only")
                .AddMethod("write_things", () => "written").RequireAuthorization("read-only")
                .AddMethod("sessions_match", () => "same").RequireAuthorization("own-context"),
            options =>
            {
                options.AddPolicy("read-only", policy => policy.RequireAuthenticatedUser().RequireAssertion(
                    context => ((RpcContext)context.Resource!).Method.StartsWith("read_", StringComparison.Ordinal)));

                // The resource is this call's context: same user, a session id, the method's transport.
                options.AddPolicy("own-context", policy => policy.RequireAuthenticatedUser().RequireAssertion(context =>
                    context.Resource is RpcContext call
                    && call.User.Identity?.Name == context.User.Identity?.Name
                    && call.Method == "sessions_match"
                    && call.Transport == "websocket"
                    && !string.IsNullOrEmpty(call.SessionId)
                    && call.RequestId == "1"));
            });

        await using var socket = await TestCaller.User("ada").ConnectAsync(app);
        Assert.Equal("read", GuardAssert.Allowed(await socket.CallAsync("read_things")).GetString());
        GuardAssert.NotPermitted(await socket.CallAsync("write_things"));
        GuardAssert.AuthenticationRequired(await TestCaller.Anonymous.CallAsync(app, "read_things"));

        // Discovery asks each guard as a call of that method would: the resource names the method listed.
        var listed = JsonAssert.Result(await socket.CallAsync("get_methods")).EnumerateArray().Select(e => e.GetString()).ToList();
        Assert.Contains("read_things", listed);
        Assert.DoesNotContain("write_things", listed);

        await using var fresh = await TestCaller.User("bob").ConnectAsync(app);
        Assert.Equal("same", GuardAssert.Allowed(await fresh.CallAsync("sessions_match")).GetString()); // its first call: id 1
    }

    [Fact]
    public async Task DefaultPolicyChangedByTheApp_RequireAuthorizationAndAuthorizeUseIt()
    {
        await using var app = await GuardApp.StartAsync(
            rpc => rpc.AddMethod("convention", () => 1).RequireAuthorization()
                .AddMethod("attribute", [Authorize] () => 2),
            options => options.DefaultPolicy = new AuthorizationPolicyBuilder().RequireRole("member").Build());

        foreach (var method in new[] { "convention", "attribute" })
        {
            GuardAssert.AuthenticationRequired(await TestCaller.Anonymous.CallAsync(app, method));
            GuardAssert.NotPermitted(await TestCaller.User("ada").CallAsync(app, method));
            GuardAssert.Allowed(await TestCaller.User("ada", roles: ["member"]).CallAsync(app, method));
        }
    }

    [Theory]
    [InlineData("convention")]
    [InlineData("attribute")]
    [InlineData("lambda")]
    [InlineData("topic")]
    [InlineData("pattern")]
    public async Task UnknownPolicyName_StartFails_NamingThePolicy(string where)
    {
        var policy = $"no-such-policy-{where}";
        await using var app = GuardApp.Build(rpc =>
        {
            rpc.AddMethod("fine", () => 1);
            switch (where)
            {
                case "convention": rpc.AddMethod("guarded", () => 1).RequireAuthorization(policy); break;
                case "attribute": rpc.AddMethods<MissingPolicyMethods>(); break;
                case "lambda": rpc.AddMethod("guarded", [Authorize(Policy = "no-such-policy-lambda")] () => 1); break;
                case "topic": rpc.AddTopic("guarded", topic => topic.RequireAuthorization(policy)); break;
                case "pattern": rpc.AddTopicPattern("guarded.*", topic => topic.RequireAuthorization(policy)); break;
                default: throw new ArgumentOutOfRangeException(nameof(where));
            }
        });

        var error = await Assert.ThrowsAnyAsync<Exception>(() => app.StartAsync().DefaultTimeout());
        Assert.Contains(policy, error.ToString(), StringComparison.Ordinal);
        await app.StopAsync().DefaultTimeout();
    }

    [Fact]
    public async Task KnownPolicyNames_StartSucceeds()
    {
        await using var app = await GuardApp.StartAsync(
            rpc => rpc.AddMethod("guarded", () => 1).RequireAuthorization("known").AddTopic("t", topic => topic.RequireAuthorization("known")),
            options => options.AddPolicy("known", policy => policy.RequireAuthenticatedUser()));
        Assert.Equal(1, GuardAssert.Allowed(await TestCaller.User("ada").CallAsync(app, "guarded")).GetInt32());
    }

    public sealed class MissingPolicyMethods
    {
        [RpcMethod]
        [Authorize(Policy = "no-such-policy-attribute")]
        public static int Guarded() => 1;
    }

    private sealed class NameActor : ReceiveActor
    {
        public NameActor() => Receive<RpcInvocation>(call => Sender.Tell(new RpcReply(call.Context.User.Identity?.Name)));
    }

    private sealed class GatedRequirement : IAuthorizationRequirement;

    /// <summary>
    /// Truly asynchronous: yields and delays before deciding, and holds <see cref="SlowUser"/>'s
    /// calls until <see cref="Gate"/> opens. Succeeds for users with <see cref="Permission"/>.
    /// </summary>
    private sealed class GatedRequirementHandler : AuthorizationHandler<GatedRequirement>
    {
        public const string SlowUser = "slow";

        public const string Permission = "gated.ok";

        private int _waiting;

        public TaskCompletionSource Gate { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public int Waiting => Volatile.Read(ref _waiting);

        protected override async Task HandleRequirementAsync(AuthorizationHandlerContext context, GatedRequirement requirement)
        {
            await Task.Yield();
            await Task.Delay(1);
            if (context.User.Identity?.Name == SlowUser)
            {
                Interlocked.Increment(ref _waiting);
                await Gate.Task;
            }

            if (context.User.HasClaim("permission", Permission))
            {
                context.Succeed(requirement);
            }
        }
    }
}
