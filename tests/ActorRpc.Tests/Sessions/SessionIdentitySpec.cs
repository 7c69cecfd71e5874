using System.Diagnostics.Metrics;
using System.Security.Claims;
using System.Text.Json;
using Akka.Actor;
using ActorRpc.Actors.Diagnostics;
using ActorRpc.Actors.Routing;
using ActorRpc.Actors.Sessions;
using ActorRpc.Actors.Topics;
using ActorRpc.Methods.Topics;
using ActorRpc.Tests.Infrastructure;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.DependencyInjection;

namespace ActorRpc.Tests.Sessions;

/// <summary>
/// Who a session's calls run as (issue 13): the connection's user on every routed call until its
/// token expires, <c>authenticate</c> replacing it, and guarded topics decided off the session's
/// thread, all or nothing.
/// </summary>
public sealed class SessionIdentitySpec : SessionSpecBase
{
    private const int AuthenticationRequired = -32010;
    private const int NotPermitted = -32011;

    [Fact]
    public async Task RoutedCall_AuthenticatedConnection_CarriesItsUser()
    {
        var session = StartSession(singleExchange: false, identity: Identity("alice", expires: null));
        Send(session, """{"jsonrpc":"2.0","method":"known","id":1}""");

        var invoke = await Router.ExpectMsgAsync<RouterProtocol.Invoke>();
        Assert.True(invoke.Call.Context.User.Identity?.IsAuthenticated);
        Assert.Equal("alice", invoke.Call.Context.User.Identity?.Name);
    }

    [Fact]
    public async Task RoutedCall_TokenLifetimeEnded_RunsAsAnonymous()
    {
        var session = StartSession(singleExchange: false, identity: Identity("alice", expires: DateTimeOffset.UtcNow.AddSeconds(-1)));
        Send(session, """{"jsonrpc":"2.0","method":"known","id":1}""");

        var invoke = await Router.ExpectMsgAsync<RouterProtocol.Invoke>();
        Assert.NotNull(invoke.Call.Context.User);
        Assert.DoesNotContain(invoke.Call.Context.User.Identities, i => i.IsAuthenticated);
    }

    [Fact]
    public async Task Authenticate_ValidToken_AnswersNameAndExpiryAndLaterCallsRunAsTheNewUser()
    {
        var expires = new DateTimeOffset(2030, 1, 2, 3, 4, 5, TimeSpan.Zero);
        var session = StartSession(singleExchange: false, authenticator: new FakeAuthenticator(Identity("bob", expires)));
        Send(session, """{"jsonrpc":"2.0","method":"authenticate","params":{"token":"good"},"id":1}""");

        var result = await ResponseAsync(0);
        Assert.Equal("bob", result.GetProperty("result").GetProperty("name").GetString());
        Assert.Equal(expires, result.GetProperty("result").GetProperty("expires").GetDateTimeOffset());

        Send(session, """{"jsonrpc":"2.0","method":"known","id":2}""");
        var invoke = await Router.ExpectMsgAsync<RouterProtocol.Invoke>();
        Assert.Equal("bob", invoke.Call.Context.User.Identity?.Name);
    }

    [Fact]
    public async Task Authenticate_RefusedToken_AuthenticationRequiredAndThePreviousUserStays()
    {
        var session = StartSession(singleExchange: false, identity: Identity("alice", expires: null), authenticator: new FakeAuthenticator(null));
        Send(session, """{"jsonrpc":"2.0","method":"authenticate","params":["bad"],"id":1}""");

        Assert.Equal(AuthenticationRequired, ErrorCode(await ResponseAsync(0)));
        Send(session, """{"jsonrpc":"2.0","method":"known","id":2}""");
        var invoke = await Router.ExpectMsgAsync<RouterProtocol.Invoke>();
        Assert.Equal("alice", invoke.Call.Context.User.Identity?.Name);
    }

    [Theory]
    [InlineData("""{"jsonrpc":"2.0","method":"authenticate","id":1}""")]
    [InlineData("""{"jsonrpc":"2.0","method":"authenticate","params":{"token":42},"id":1}""")]
    [InlineData("""{"jsonrpc":"2.0","method":"authenticate","params":{"token":""},"id":1}""")]
    [InlineData("""{"jsonrpc":"2.0","method":"authenticate","params":["a","b"],"id":1}""")]
    public async Task Authenticate_NoTokenGiven_InvalidParamsWithoutAskingTheScheme(string request)
    {
        var authenticator = new FakeAuthenticator(Identity("bob", null));
        var session = StartSession(singleExchange: false, authenticator: authenticator);
        Send(session, request);

        Assert.Equal(-32602, ErrorCode(await ResponseAsync(0)));
        Assert.Equal(0, authenticator.Calls);
    }

    [Fact]
    public async Task Authenticate_OverHttp_InvalidRequestAuthenticateNeedsWebSocket()
    {
        var session = StartSession(singleExchange: true, authenticator: new FakeAuthenticator(Identity("bob", null)));
        Send(session, """{"jsonrpc":"2.0","method":"authenticate","params":{"token":"good"},"id":1}""");

        var error = (await ResponseAsync(0)).GetProperty("error");
        Assert.Equal(-32600, error.GetProperty("code").GetInt32());
        Assert.Equal("authenticate needs a WebSocket", error.GetProperty("message").GetString());
    }

    [Fact]
    public async Task Subscribe_GuardedTopic_DecidedAsynchronouslyWhileTheSessionGoesOnServing()
    {
        var gate = new GatedRequirement("admin");
        var session = StartSession(singleExchange: false, topics: GuardedCatalog(gate), identity: Identity("alice", null, permission: "admin"));
        Send(session, """{"jsonrpc":"2.0","method":"subscribe","params":["admin"],"id":1}""");
        await gate.Entered.WaitAsync(TestTimeouts.Long);

        // The policy is still deciding: the session serves other calls meanwhile.
        Send(session, """{"jsonrpc":"2.0","method":"known","id":2}""");
        await Router.ExpectMsgAsync<RouterProtocol.Invoke>();
        Assert.Empty(Transport.Sent);

        gate.Open();
        var answer = await ResponseAsync(0);
        Assert.Equal(["admin"], answer.GetProperty("result").EnumerateArray().Select(t => t.GetString()));
        Assert.Equal("admin", (await Topics.ExpectMsgAsync<TopicProtocol.Subscribe>()).Topic);
    }

    [Fact]
    public async Task Subscribe_OneTopicRefused_NotPermittedAndSubscribedToNeither()
    {
        var gate = new GatedRequirement("admin");
        gate.Open();
        var session = StartSession(singleExchange: false, topics: GuardedCatalog(gate), identity: Identity("alice", null, permission: "other"));
        Send(session, """{"jsonrpc":"2.0","method":"subscribe","params":["news","admin"],"id":1}""");

        Assert.Equal(NotPermitted, ErrorCode(await ResponseAsync(0)));
        Send(session, """{"jsonrpc":"2.0","method":"get_subscriptions","id":2}""");
        Assert.Empty((await ResponseAsync(1)).GetProperty("result").EnumerateArray());
        await Topics.ExpectNoMsgAsync(TestTimeouts.Short);
    }

    [Fact]
    public async Task Subscribe_GuardedTopicAnonymous_AuthenticationRequired()
    {
        var gate = new GatedRequirement("admin");
        gate.Open();
        var session = StartSession(singleExchange: false, topics: GuardedCatalog(gate));
        Send(session, """{"jsonrpc":"2.0","method":"subscribe","params":["admin"],"id":1}""");

        var error = (await ResponseAsync(0)).GetProperty("error");
        Assert.Equal(AuthenticationRequired, error.GetProperty("code").GetInt32());
        Assert.Equal("Authentication required", error.GetProperty("message").GetString());
        Assert.False(error.TryGetProperty("data", out _));
    }

    [Fact]
    public async Task Subscribe_UnknownTopicBesideAGuardedOne_InvalidParamsFirst()
    {
        var gate = new GatedRequirement("admin");
        gate.Open();
        var session = StartSession(singleExchange: false, topics: GuardedCatalog(gate));
        Send(session, """{"jsonrpc":"2.0","method":"subscribe","params":["admin","weather"],"id":1}""");

        Assert.Equal(-32602, ErrorCode(await ResponseAsync(0)));
    }

    [Fact]
    public async Task GetTopics_GuardedTopic_ListedOnlyToWhoMaySubscribe()
    {
        var gate = new GatedRequirement("admin");
        gate.Open();
        var anonymous = StartSession(singleExchange: false, topics: GuardedCatalog(gate));
        Send(anonymous, """{"jsonrpc":"2.0","method":"get_topics","id":1}""");
        Assert.Equal(["news"], (await ResponseAsync(0)).GetProperty("result").EnumerateArray().Select(t => t.GetString()));

        var admin = StartSession(singleExchange: false, topics: GuardedCatalog(gate), identity: Identity("root", null, permission: "admin"));
        Send(admin, """{"jsonrpc":"2.0","method":"get_topics","id":1}""");
        Assert.Equal(["admin", "news"], (await ResponseAsync(1)).GetProperty("result").EnumerateArray().Select(t => t.GetString()));
    }

    [Fact]
    public async Task TokenExpires_SubscriptionsToGuardedTopicsEndAndOthersStay()
    {
        var clock = new ManualClock(new DateTimeOffset(2030, 1, 1, 0, 0, 0, TimeSpan.Zero));
        var gate = new GatedRequirement("admin");
        gate.Open();
        var session = StartSession(
            singleExchange: false, topics: GuardedCatalog(gate), identity: Identity("alice", clock.Now.AddHours(1), permission: "admin"), clock: clock);
        Send(session, """{"jsonrpc":"2.0","method":"subscribe","params":["admin","news"],"id":1}""");
        Assert.Equal(["admin", "news"], (await ResponseAsync(0)).GetProperty("result").EnumerateArray().Select(t => t.GetString()));
        await Topics.ExpectMsgAsync<TopicProtocol.Subscribe>();
        await Topics.ExpectMsgAsync<TopicProtocol.Subscribe>();

        // Woken when the token's lifetime ends (the session's timer; here the test's clock and message):
        // the stream of the guarded topic does not outlive it.
        clock.Now = clock.Now.AddHours(2);
        session.Tell(SessionActor.IdentityExpired.Instance);
        Assert.Equal("admin", (await Topics.ExpectMsgAsync<TopicProtocol.Unsubscribe>(TestTimeouts.Long)).Topic);
        Send(session, """{"jsonrpc":"2.0","method":"get_subscriptions","id":2}""");
        Assert.Equal(["news"], (await ResponseAsync(1)).GetProperty("result").EnumerateArray().Select(t => t.GetString()));
    }

    [Fact]
    public async Task TokenLifetimeNotOverYet_WakingEarlyChangesNothing()
    {
        var clock = new ManualClock(new DateTimeOffset(2030, 1, 1, 0, 0, 0, TimeSpan.Zero));
        var gate = new GatedRequirement("admin");
        gate.Open();
        var session = StartSession(
            singleExchange: false, topics: GuardedCatalog(gate), identity: Identity("alice", clock.Now.AddHours(1), permission: "admin"), clock: clock);
        Send(session, """{"jsonrpc":"2.0","method":"subscribe","params":["admin"],"id":1}""");
        await ResponseAsync(0);
        await Topics.ExpectMsgAsync<TopicProtocol.Subscribe>();

        session.Tell(SessionActor.IdentityExpired.Instance); // a day-long wait re-arms; nothing ends
        await Topics.ExpectNoMsgAsync(TestTimeouts.Short);
        Send(session, """{"jsonrpc":"2.0","method":"known","id":2}""");
        Assert.Equal("alice", (await Router.ExpectMsgAsync<RouterProtocol.Invoke>()).Call.Context.User.Identity?.Name);
    }

    [Fact]
    public async Task AuthenticateAsUserWithoutTheRight_SubscriptionsToGuardedTopicsEnd()
    {
        var gate = new GatedRequirement("admin");
        gate.Open();
        var session = StartSession(
            singleExchange: false,
            topics: GuardedCatalog(gate),
            identity: Identity("alice", null, permission: "admin"),
            authenticator: new FakeAuthenticator(Identity("bob", null)));
        Send(session, """{"jsonrpc":"2.0","method":"subscribe","params":["admin"],"id":1}""");
        await ResponseAsync(0);
        await Topics.ExpectMsgAsync<TopicProtocol.Subscribe>();

        Send(session, """{"jsonrpc":"2.0","method":"authenticate","params":{"token":"bob"},"id":2}""");
        Assert.Equal("bob", (await ResponseAsync(1)).GetProperty("result").GetProperty("name").GetString());
        Assert.Equal("admin", (await Topics.ExpectMsgAsync<TopicProtocol.Unsubscribe>(TestTimeouts.Long)).Topic);
    }

    [Fact]
    public async Task PipelinedSubscribeThenUnsubscribe_WhileTheGuardDecides_UnsubscribeHasTheLastWord()
    {
        var gate = new GatedRequirement("admin");
        var session = StartSession(singleExchange: false, topics: GuardedCatalog(gate), identity: Identity("alice", null, permission: "admin"));
        Send(session, """{"jsonrpc":"2.0","method":"subscribe","params":["admin"],"id":1}""");
        Send(session, """{"jsonrpc":"2.0","method":"unsubscribe","params":["admin"],"id":2}""");
        await gate.Entered.WaitAsync(TestTimeouts.Long);
        gate.Open();

        Assert.Equal("admin", (await Topics.ExpectMsgAsync<TopicProtocol.Subscribe>()).Topic);
        Assert.Equal("admin", (await Topics.ExpectMsgAsync<TopicProtocol.Unsubscribe>()).Topic);
        Send(session, """{"jsonrpc":"2.0","method":"get_subscriptions","id":3}""");
        Assert.Empty((await ResponseAsync(2)).GetProperty("result").EnumerateArray());
    }

    [Fact]
    public async Task GuardThatNeverDecides_GivenUpAtHandlerTimeoutAndTheNextBuiltInIsServed()
    {
        var gate = new GatedRequirement("admin"); // never opened
        var limits = new RpcLimitsOptions { HandlerTimeout = TimeSpan.FromMilliseconds(300) };
        var session = StartSession(singleExchange: false, limits, topics: GuardedCatalog(gate), identity: Identity("alice", null, permission: "admin"));
        Send(session, """{"jsonrpc":"2.0","method":"subscribe","params":["admin"],"id":1}""");
        Assert.Equal(-32001, ErrorCode(await ResponseAsync(0)));

        // Its turn ended with it: the next built-in is not held behind a decision that never comes.
        Send(session, """{"jsonrpc":"2.0","method":"subscribe","params":["news"],"id":2}""");
        Assert.Equal(["news"], (await ResponseAsync(1)).GetProperty("result").EnumerateArray().Select(t => t.GetString()));
    }

    [Fact]
    public async Task TokenExpiresWhileASubscribeIsDecided_DecidedAgainForTheAnonymousCaller()
    {
        var clock = new ManualClock(new DateTimeOffset(2030, 1, 1, 0, 0, 0, TimeSpan.Zero));
        var gate = new GatedRequirement("admin");
        var session = StartSession(
            singleExchange: false, topics: GuardedCatalog(gate), identity: Identity("alice", clock.Now.AddHours(1), permission: "admin"), clock: clock);
        Send(session, """{"jsonrpc":"2.0","method":"subscribe","params":["admin"],"id":1}""");
        await gate.Entered.WaitAsync(TestTimeouts.Long);

        // The token's lifetime ends while the policy still decides for alice.
        clock.Now = clock.Now.AddHours(2);
        session.Tell(SessionActor.IdentityExpired.Instance);
        gate.Open();

        Assert.Equal(AuthenticationRequired, ErrorCode(await ResponseAsync(0)));
        await Topics.ExpectNoMsgAsync(TestTimeouts.Short);
    }

    [Fact]
    public async Task RecheckAfterTheUserChangedThrows_GuardedSubscriptionsEnd()
    {
        var requirement = new FailingRequirement();
        var catalog = new RpcTopicsBuilder()
            .AddTopic("news")
            .AddTopic("admin", new RpcTopicOptions().RequireAuthorization(new AuthorizationPolicyBuilder().AddRequirements(requirement).Build()))
            .Build();
        var session = StartSession(
            singleExchange: false,
            topics: catalog,
            identity: Identity("alice", null),
            authenticator: new FakeAuthenticator(Identity("bob", null)));
        Send(session, """{"jsonrpc":"2.0","method":"subscribe","params":["admin","news"],"id":1}""");
        await ResponseAsync(0);
        await Topics.ExpectMsgAsync<TopicProtocol.Subscribe>();
        await Topics.ExpectMsgAsync<TopicProtocol.Subscribe>();

        requirement.Failing = true; // the permission store is down when the user changes
        Send(session, """{"jsonrpc":"2.0","method":"authenticate","params":{"token":"bob"},"id":2}""");
        await ResponseAsync(1);
        Assert.Equal("admin", (await Topics.ExpectMsgAsync<TopicProtocol.Unsubscribe>(TestTimeouts.Long)).Topic);
        await Topics.ExpectNoMsgAsync(TestTimeouts.Short);
    }

    [Fact]
    public async Task SubscribePaddedWithATopicAlreadyHeld_StillChecksTheGuardOfTheOthers()
    {
        var gate = new GatedRequirement("admin");
        gate.Open();
        var limits = new RpcLimitsOptions { MaxSubscriptionsPerSession = 3 };
        var session = StartSession(singleExchange: false, limits, topics: GuardedCatalog(gate));
        Send(session, """{"jsonrpc":"2.0","method":"subscribe","params":["news"],"id":1}""");
        await ResponseAsync(0);

        // Four names, more than the limit, but two distinct: the guard of "admin" must still run.
        Send(session, """{"jsonrpc":"2.0","method":"subscribe","params":["news","news","news","admin"],"id":2}""");
        Assert.Equal(AuthenticationRequired, ErrorCode(await ResponseAsync(1)));
        await Topics.ExpectMsgAsync<TopicProtocol.Subscribe>(); // "news", from the first call only
        await Topics.ExpectNoMsgAsync(TestTimeouts.Short);
    }

    [Fact]
    public async Task GetSubscriptionsPipelinedAfterAuthenticate_SeesTheSubscriptionsOfTheNewUser()
    {
        var gate = new GatedRequirement("admin");
        gate.Open();
        var session = StartSession(
            singleExchange: false,
            topics: GuardedCatalog(gate),
            identity: Identity("alice", null, permission: "admin"),
            authenticator: new FakeAuthenticator(Identity("bob", null)));
        Send(session, """{"jsonrpc":"2.0","method":"subscribe","params":["admin","news"],"id":1}""");
        await ResponseAsync(0);

        Send(session, """{"jsonrpc":"2.0","method":"authenticate","params":{"token":"bob"},"id":2}""");
        Send(session, """{"jsonrpc":"2.0","method":"get_subscriptions","id":3}""");
        Assert.Equal("bob", (await ResponseAsync(1)).GetProperty("result").GetProperty("name").GetString());
        Assert.Equal(["news"], (await ResponseAsync(2)).GetProperty("result").EnumerateArray().Select(t => t.GetString()));
    }

    [Fact]
    public async Task TokenLifetimeEndsBeforeTheExpiryTimerWhileDeciding_DecidedAgainForTheAnonymousCaller()
    {
        var clock = new ManualClock(new DateTimeOffset(2030, 1, 1, 0, 0, 0, TimeSpan.Zero));
        var gate = new GatedRequirement("admin");
        var session = StartSession(
            singleExchange: false, topics: GuardedCatalog(gate), identity: Identity("alice", clock.Now.AddHours(1), permission: "admin"), clock: clock);
        Send(session, """{"jsonrpc":"2.0","method":"subscribe","params":["admin"],"id":1}""");
        await gate.Entered.WaitAsync(TestTimeouts.Long);

        clock.Now = clock.Now.AddHours(2); // past the token's lifetime; the session's timer has not said so yet
        gate.Open();

        Assert.Equal(AuthenticationRequired, ErrorCode(await ResponseAsync(0)));
        await Topics.ExpectNoMsgAsync(TestTimeouts.Short);
    }

    [Fact]
    public async Task GuardedBuiltInGivenUp_CountedWithItsErrorCode()
    {
        using var services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        var factory = services.GetRequiredService<IMeterFactory>();
        var handled = new System.Collections.Concurrent.ConcurrentQueue<(string? Method, object? Code)>();
        using var listener = new MeterListener
        {
            InstrumentPublished = (instrument, meterListener) =>
            {
                if (instrument.Name == "actorrpc.request.duration" && ReferenceEquals(instrument.Meter.Scope, factory))
                {
                    meterListener.EnableMeasurementEvents(instrument);
                }
            },
        };
        listener.SetMeasurementEventCallback<double>((_, _, tags, _) =>
        {
            string? method = null;
            object? code = null;
            foreach (var tag in tags)
            {
                method = tag.Key == RpcMetrics.MethodTag ? tag.Value as string : method;
                code = tag.Key == RpcMetrics.ErrorCodeTag ? tag.Value : code;
            }

            handled.Enqueue((method, code));
        });
        listener.Start();

        var gate = new GatedRequirement("admin"); // never opened
        var limits = new RpcLimitsOptions { HandlerTimeout = TimeSpan.FromMilliseconds(300) };
        var metrics = new RpcMetrics(factory, ["known", "other", "subscribe"], TopicCatalog.Empty);
        var session = StartSession(singleExchange: false, limits, topics: GuardedCatalog(gate), metrics: metrics, identity: Identity("alice", null, permission: "admin"));
        Send(session, """{"jsonrpc":"2.0","method":"subscribe","params":["admin"],"id":1}""");

        Assert.Equal(-32001, ErrorCode(await ResponseAsync(0)));
        await AwaitAssertAsync(() => Assert.Contains(("subscribe", (object?)(-32001)), handled), TestTimeouts.Long);
    }

    private static TopicCatalog GuardedCatalog(GatedRequirement requirement) =>
        new RpcTopicsBuilder()
            .AddTopic("news")
            .AddTopic("admin", new RpcTopicOptions().RequireAuthorization(new AuthorizationPolicyBuilder().AddRequirements(requirement).Build()))
            .Build();

    private static SessionIdentity Identity(string name, DateTimeOffset? expires, string? permission = null)
    {
        var claims = new List<Claim> { new(ClaimTypes.Name, name) };
        if (permission is not null)
        {
            claims.Add(new Claim("permission", permission));
        }

        return new SessionIdentity(new ClaimsPrincipal(new ClaimsIdentity(claims, "test")), expires);
    }

    private async Task<JsonElement> ResponseAsync(int index)
    {
        await AwaitAssertAsync(() => Assert.True(Transport.Sent.Count > index), TestTimeouts.Long);
        return JsonDocument.Parse(Transport.Sent[index]).RootElement;
    }

    private static int ErrorCode(JsonElement response) => response.GetProperty("error").GetProperty("code").GetInt32();

    private sealed class FakeAuthenticator(SessionIdentity? answer) : ISessionAuthenticator
    {
        private int _calls;

        public int Calls => Volatile.Read(ref _calls);

        public async Task<SessionIdentity?> AuthenticateAsync(string token, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _calls);
            await Task.Yield(); // Answered later, as a scheme that fetches keys would.
            return token == "bad" ? null : answer;
        }
    }

    /// <summary>A clock the test moves.</summary>
    private sealed class ManualClock(DateTimeOffset now) : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = now;

        public override DateTimeOffset GetUtcNow() => Now;
    }

    /// <summary>A requirement (its own handler) that allows any user until it is made to throw.</summary>
    private sealed class FailingRequirement : AuthorizationHandler<FailingRequirement>, IAuthorizationRequirement
    {
        public volatile bool Failing;

        protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, FailingRequirement requirement)
        {
            if (Failing)
            {
                throw new InvalidOperationException("The permission store is down.");
            }

            context.Succeed(requirement);
            return Task.CompletedTask;
        }
    }

    /// <summary>A requirement (its own handler) that holds the caller's permission and decides only once opened.</summary>
    private sealed class GatedRequirement(string permission) : AuthorizationHandler<GatedRequirement>, IAuthorizationRequirement
    {
        private readonly TaskCompletionSource _open = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly TaskCompletionSource _entered = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task Entered => _entered.Task;

        public void Open() => _open.TrySetResult();

        protected override async Task HandleRequirementAsync(AuthorizationHandlerContext context, GatedRequirement requirement)
        {
            _entered.TrySetResult();
            await _open.Task.ConfigureAwait(false);
            if (context.User.HasClaim("permission", permission))
            {
                context.Succeed(requirement);
            }
        }
    }
}
