using System.Text.Json;
using ActorRpc.Testing;
using ActorRpc.Tests.Infrastructure;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.DependencyInjection;

namespace ActorRpc.Tests.Security;

/// <summary>
/// Guarded topics: <c>subscribe</c> checks each named topic's guard (with the topic name as the
/// policy's resource), all or nothing; <c>unsubscribe</c> and <c>get_subscriptions</c> are never guarded.
/// </summary>
public sealed class TopicGuardSpec(TopicGuardSpec.Fixture fixture) : IClassFixture<TopicGuardSpec.Fixture>
{
    private static readonly TestCaller Anonymous = TestCaller.Anonymous;

    private ActorRpcTestServer App => fixture.App;

    private ITopicPublisher Publisher => App.Publisher;

    [Fact]
    public async Task OpenTopic_AnyCaller_Subscribes()
    {
        Assert.Equal(["public"], Topics(GuardAssert.Allowed(await Anonymous.CallAsync(App, "subscribe", new[] { "public" }))));
    }

    [Fact]
    public async Task RequirePermission_PermissionDecides()
    {
        GuardAssert.AuthenticationRequired(await Anonymous.CallAsync(App, "subscribe", new[] { "admin" }));
        GuardAssert.NotPermitted(await TestCaller.User("ada").CallAsync(App, "subscribe", new[] { "admin" }));
        GuardAssert.NotPermitted(await TestCaller.User("ada", roles: ["admin"]).CallAsync(App, "subscribe", new[] { "admin" }));
        Assert.Equal(["admin"], Topics(GuardAssert.Allowed(await TestCaller.User("ada", permissions: ["admin"]).CallAsync(App, "subscribe", new[] { "admin" }))));
    }

    [Fact]
    public async Task RequireAuthorizationWithPolicy_PolicyDecides()
    {
        GuardAssert.AuthenticationRequired(await Anonymous.CallAsync(App, "subscribe", new { topics = "staff" }));
        GuardAssert.NotPermitted(await TestCaller.User("ada").CallAsync(App, "subscribe", new { topics = "staff" }));
        GuardAssert.Allowed(await TestCaller.User("ada", roles: ["staff"]).CallAsync(App, "subscribe", new { topics = "staff" }));
    }

    [Fact]
    public async Task RequireAuthorizationWithoutPolicy_AnyUser()
    {
        GuardAssert.AuthenticationRequired(await Anonymous.CallAsync(App, "subscribe", new[] { "members" }));
        GuardAssert.Allowed(await TestCaller.User("ada").CallAsync(App, "subscribe", new[] { "members" }));
    }

    [Fact]
    public async Task RequireAuthorizationWithPolicyObject_PolicyDecides()
    {
        GuardAssert.AuthenticationRequired(await Anonymous.CallAsync(App, "subscribe", new[] { "badges" }));
        GuardAssert.NotPermitted(await TestCaller.User("ada").CallAsync(App, "subscribe", new[] { "badges" }));
        GuardAssert.Allowed(await TestCaller.User("ada", claims: ["badge=gold"]).CallAsync(App, "subscribe", new[] { "badges" }));
    }

    [Fact]
    public async Task GuardedPattern_EveryTopicOfThePattern()
    {
        GuardAssert.AuthenticationRequired(await Anonymous.CallAsync(App, "subscribe", new[] { "vip.lounge" }));
        GuardAssert.NotPermitted(await TestCaller.User("ada").CallAsync(App, "subscribe", new[] { "vip.lounge" }));
        Assert.Equal(
            ["vip.bar", "vip.lounge"],
            Topics(GuardAssert.Allowed(await TestCaller.User("ada", permissions: ["vip"]).CallAsync(App, "subscribe", new[] { "vip.lounge", "vip.bar" }))));
    }

    [Fact]
    public async Task PatternPolicy_ResourceIsTheTopicName()
    {
        await using var ada = await TestCaller.User("ada").ConnectAsync(App);
        Assert.Equal(["private.ada"], Topics(GuardAssert.Allowed(await ada.CallAsync("subscribe", new[] { "private.ada" }))));
        GuardAssert.NotPermitted(await ada.CallAsync("subscribe", new[] { "private.bob" }));
        GuardAssert.AuthenticationRequired(await Anonymous.CallAsync(App, "subscribe", new[] { "private.ada" }));
    }

    [Fact]
    public async Task DeclaredTopicPolicy_ResourceIsTheTopicName()
    {
        // "named" is guarded by a policy that reads the resource as the topic's name.
        GuardAssert.Allowed(await TestCaller.User("ada").CallAsync(App, "subscribe", new[] { "named" }));
    }

    [Fact]
    public async Task HttpPost_GetTopicsForThatCaller_SubscribeStillNeedsWebSocket()
    {
        var anonymous = Topics(GuardAssert.Allowed(await Anonymous.PostAsync(App, "get_topics")));
        var admin = Topics(GuardAssert.Allowed(await TestCaller.User("root", permissions: ["admin"]).PostAsync(App, "get_topics")));
        Assert.DoesNotContain("admin", anonymous);
        Assert.Contains("public", anonymous);
        Assert.Contains("admin", admin);

        JsonAssert.Error(await TestCaller.User("root", permissions: ["admin"]).PostAsync(App, "subscribe", new[] { "admin" }), -32600);
    }

    [Fact]
    public async Task AllowedAndRefusedTogether_RefusedAsAWhole_SubscribesToNeither()
    {
        await using var control = await TestCaller.Anonymous.ConnectAsync(App);
        JsonAssert.Result(await control.CallAsync("subscribe", new[] { "public" }));

        await using var ada = await TestCaller.User("ada").ConnectAsync(App);
        GuardAssert.NotPermitted(await ada.CallAsync("subscribe", new[] { "public", "admin" }));
        GuardAssert.NotPermitted(await ada.CallAsync("subscribe", new[] { "admin", "public" }));
        GuardAssert.NotPermitted(await ada.CallAsync("subscribe", new[] { "members", "vip.lounge", "public" }));
        Assert.Empty(Topics(GuardAssert.Allowed(await ada.CallAsync("get_subscriptions"))));

        await using var anonymous = await Anonymous.ConnectAsync(App);
        GuardAssert.AuthenticationRequired(await anonymous.CallAsync("subscribe", new[] { "public", "members" }));
        Assert.Empty(Topics(GuardAssert.Allowed(await anonymous.CallAsync("get_subscriptions"))));

        await PublishUntilReceivedAsync("public", control);
        await ada.ExpectNoMessageAsync();
        await anonymous.ExpectNoMessageAsync();
    }

    [Fact]
    public async Task RefusedSubscribe_KeepsEarlierSubscriptions()
    {
        await using var ada = await TestCaller.User("ada").ConnectAsync(App);
        JsonAssert.Result(await ada.CallAsync("subscribe", new[] { "members" }));
        GuardAssert.NotPermitted(await ada.CallAsync("subscribe", new[] { "public", "admin" }));
        Assert.Equal(["members"], Topics(GuardAssert.Allowed(await ada.CallAsync("get_subscriptions"))));
    }

    [Fact]
    public async Task UnknownTopicBesideRefusedOne_StillInvalidParams()
    {
        await using var anonymous = await Anonymous.ConnectAsync(App);
        JsonAssert.Error(await anonymous.CallAsync("subscribe", new[] { "admin", "nope" }), -32602);
        JsonAssert.Error(await anonymous.CallAsync("subscribe", new[] { "nope", "members" }), -32602);
        JsonAssert.Error(await anonymous.CallAsync("subscribe", new[] { "nope" }), -32602);
        Assert.Empty(Topics(GuardAssert.Allowed(await anonymous.CallAsync("get_subscriptions"))));

        await using var ada = await TestCaller.User("ada").ConnectAsync(App);
        JsonAssert.Error(await ada.CallAsync("subscribe", new[] { "admin", "nope" }), -32602);
    }

    [Fact]
    public async Task Unsubscribe_GuardedTopic_NotGuarded()
    {
        await using var anonymous = await Anonymous.ConnectAsync(App);
        Assert.Empty(Topics(GuardAssert.Allowed(await anonymous.CallAsync("unsubscribe", new[] { "admin", "members", "vip.lounge" }))));

        await using var ada = await TestCaller.User("ada").ConnectAsync(App);
        JsonAssert.Result(await ada.CallAsync("subscribe", new[] { "members", "public" }));
        Assert.Equal(["public"], Topics(GuardAssert.Allowed(await ada.CallAsync("unsubscribe", new[] { "members", "admin" }))));
    }

    [Fact]
    public async Task PipelinedSubscribeThenUnsubscribe_LastWordWins()
    {
        // Sent back to back without waiting, as a UI toggling a feed does: the client's last word
        // is "unsubscribe", so it must end unsubscribed, as it does on a node without guarded topics
        // (the next test). A guarded "subscribe" waits for the guard's decision; this guards against
        // the "unsubscribe" behind it being answered first and the subscribe then landing last (the
        // built-ins about the connection's state keep their order while a guard decides).
        foreach (var topic in new[] { "public", "members" })
        {
            Assert.Empty(await PipelineSubscribeThenUnsubscribeAsync(App, topic));
        }
    }

    [Fact]
    public async Task PipelinedSubscribeThenUnsubscribe_NodeWithoutGuardedTopics_LastWordWins()
    {
        await using var app = await GuardApp.StartAsync(rpc => rpc.AddTopic("public"));
        Assert.Empty(await PipelineSubscribeThenUnsubscribeAsync(app, "public"));
    }

    /// <summary>Sends subscribe and unsubscribe of <paramref name="topic"/> without waiting in between; returns the subscriptions after both answered.</summary>
    private static async Task<string[]> PipelineSubscribeThenUnsubscribeAsync(ActorRpcTestServer app, string topic)
    {
        await using var ada = await TestCaller.User("ada").ConnectAsync(app);
        await ada.SendAsync($$"""{"jsonrpc":"2.0","method":"subscribe","params":["{{topic}}"],"id":"s"}""");
        await ada.SendAsync($$"""{"jsonrpc":"2.0","method":"unsubscribe","params":["{{topic}}"],"id":"u"}""");
        JsonAssert.Result(await ada.ReceiveJsonAsync());
        JsonAssert.Result(await ada.ReceiveJsonAsync());
        return Topics(GuardAssert.Allowed(await ada.CallAsync("get_subscriptions")));
    }

    [Fact]
    public async Task GuardedTopic_AllowedSubscriber_ReceivesNotifications()
    {
        await using var admin = await TestCaller.User("root", permissions: ["admin"]).ConnectAsync(App);
        JsonAssert.Result(await admin.CallAsync("subscribe", new[] { "admin" }));
        var notification = await PublishUntilReceivedAsync("admin", admin);
        Assert.Equal("admin", notification.GetProperty("method").GetString());
    }

    /// <summary>
    /// Publishes to <paramref name="topic"/> until <paramref name="subscriber"/> gets a notification
    /// (a first publish may race the subscription's registration), then returns it.
    /// </summary>
    private async Task<JsonElement> PublishUntilReceivedAsync(string topic, RpcTestSocket subscriber)
    {
        JsonElement received = default;
        await Eventually.AssertAsync(async () =>
        {
            Publisher.Publish(topic, new { n = 1 });
            try
            {
                received = await subscriber.ReceiveJsonAsync(TestTimeouts.Short);
            }
            catch (OperationCanceledException)
            {
                Assert.Fail($"No notification on {topic} yet.");
            }
        });

        return received;
    }

    private static string[] Topics(JsonElement result) => [.. result.EnumerateArray().Select(e => e.GetString()!)];

    public sealed class Fixture : GuardAppFixture
    {
        protected override void Register(IActorRpcBuilder rpc) => rpc
            .AddTopic("public")
            .AddTopic("admin", topic => topic.RequirePermission("admin"))
            .AddTopic("staff", topic => topic.RequireAuthorization("staff"))
            .AddTopic("members", topic => topic.RequireAuthorization())
            .AddTopic("badges", topic => topic.RequireAuthorization(new AuthorizationPolicyBuilder().RequireClaim("badge", "gold").Build()))
            .AddTopic("named", topic => topic.RequireAuthorization("topic-named"))
            .AddTopicPattern("vip.*", topic => topic.RequirePermission("vip"))
            .AddTopicPattern("private.*", topic => topic.RequireAuthorization("own-topic"));

        protected override void Policies(AuthorizationOptions options)
        {
            options.AddPolicy("staff", policy => policy.RequireRole("staff"));
            options.AddPolicy("topic-named", policy => policy.RequireAuthenticatedUser().RequireAssertion(context => context.Resource is "named"));
            options.AddPolicy("own-topic", policy => policy.RequireAuthenticatedUser().RequireAssertion(
                context => context.Resource is string topic && topic == "private." + context.User.Identity?.Name));
        }
    }
}
