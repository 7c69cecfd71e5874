using Akka.Actor;
using Akka.Cluster.Tools.PublishSubscribe;
using Akka.Cluster.Tools.PublishSubscribe.Internal;
using Akka.Hosting;
using ActorRpc.Actors;
using ActorRpc.Actors.Topics;
using ActorRpc.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace ActorRpc.Tests.Topics;

/// <summary>
/// How many pattern topics a node holds, and for how long (issue #12): clients choose the concrete
/// names, and each costs a topic actor and a registration gossiped to every node.
/// </summary>
public sealed class PatternTopicLimitsSpec
{
    [Fact]
    public async Task Subscribe_NewPatternNamePastMaxPatternTopics_InvalidParamsNamingTheSetting()
    {
        await using var server = await RpcServer.StartAsync(
            builder => builder.Services.AddActorRpc().AddTopicPattern("orders.*"), "--ActorRpc:Limits:MaxPatternTopics=3");
        await using var first = await server.ConnectAsync();
        await using var second = await server.ConnectAsync();
        JsonAssert.Result(await first.CallAsync("subscribe", new[] { "orders.1", "orders.2" }));
        JsonAssert.Result(await second.CallAsync("subscribe", new[] { "orders.3" }));

        var refused = JsonAssert.Error(await second.CallAsync("subscribe", new[] { "orders.1", "orders.4" }), -32602);

        Assert.Contains("ActorRpc:Limits:MaxPatternTopics", refused.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal(["orders.3"], JsonAssert.Result(await second.CallAsync("get_subscriptions")).EnumerateArray().Select(t => t.GetString()));

        // Names in use and declared topics cost nothing more.
        JsonAssert.Result(await second.CallAsync("subscribe", new[] { "orders.1", "news" }));

        // A name given up (its topic stops once it holds nothing) makes room for a new one.
        JsonAssert.Result(await first.CallAsync("unsubscribe", new[] { "orders.2" }));
        await Eventually.AssertAsync(async () => JsonAssert.Result(await second.CallAsync("subscribe", new[] { "orders.4" })));

        server.App.Services.GetRequiredService<ITopicPublisher>().Publish("orders.4", new[] { 4 });
        Assert.Equal(4, (await second.ReceiveJsonAsync()).GetProperty("params")[0].GetInt32());
    }

    [Fact]
    public async Task PatternTopicBudget_OneDiSingletonPerNode_TheOneSessionsCountIn()
    {
        // Review of issue 12: the budget was built inline at start-up, out of reach of DI, unlike NodeHandlers.
        await using var server = await RpcServer.StartAsync(
            builder => builder.Services.AddActorRpc().AddTopicPattern("orders.*"), "--ActorRpc:Limits:MaxPatternTopics=3");
        var budget = server.App.Services.GetRequiredService<PatternTopicBudget>();
        Assert.Same(budget, server.App.Services.GetRequiredService<PatternTopicBudget>());
        Assert.Equal(3, budget.Limit);

        await using var client = await server.ConnectAsync();
        JsonAssert.Result(await client.CallAsync("subscribe", new[] { "orders.1", "orders.2", "news" }));

        Assert.Equal(2, budget.Count);
    }

    [Fact]
    public async Task PatternTopic_RetainedThenLeft_ActorAndRegistrationGoneAfterTtl()
    {
        await using var server = await RpcServer.StartAsync(
            builder => builder.Services.AddActorRpc().AddTopicPattern("orders.*"), "--ActorRpc:Limits:RetainedPatternTopicTtl=00:00:00.500");
        var topics = server.App.Services.GetRequiredService<IRequiredActor<TopicsRoot>>().ActorRef;
        var mediator = DistributedPubSub.Get(server.App.Services.GetRequiredService<ActorSystem>()).Mediator;
        await using (var socket = await server.ConnectAsync())
        {
            JsonAssert.Result(await socket.CallAsync("subscribe", new[] { "orders.9" }));
            server.App.Services.GetRequiredService<ITopicPublisher>().Publish("orders.9", new[] { 9 }, retain: true);
            Assert.Equal(9, (await socket.ReceiveJsonAsync()).GetProperty("params")[0].GetInt32());
            JsonAssert.Result(await socket.CallAsync("unsubscribe", new[] { "orders.9" }));
        }

        await Eventually.AssertAsync(async () =>
        {
            var registrations = await topics.Ask<TopicProtocol.Registrations>(TopicProtocol.GetRegistrations.Instance, TestTimeouts.Long);
            Assert.DoesNotContain("orders.9", registrations.PerTopic.Keys);
            Assert.Equal(0, await mediator.Ask<int>(new CountSubscribers(TopicNames.MediatorTopic("orders.9")), TestTimeouts.Long));
        });

        // The expired state is gone: a new subscriber gets nothing until the next publish.
        await using var later = await server.ConnectAsync();
        JsonAssert.Result(await later.CallAsync("subscribe", new[] { "orders.9" }));
        await later.ExpectNoMessageAsync();
    }
}
