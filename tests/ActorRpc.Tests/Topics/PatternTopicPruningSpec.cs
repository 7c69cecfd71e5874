using Akka.Actor;
using Akka.Hosting;
using ActorRpc.Actors;
using ActorRpc.Actors.Topics;
using ActorRpc.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace ActorRpc.Tests.Topics;

/// <summary>Topic actors of a pattern family prune themselves once idle, without losing a subscription that races the prune.</summary>
public sealed class PatternTopicPruningSpec
{
    [Fact]
    public async Task PatternTopics_ManyVisitedThenLeft_OnlyDeclaredTopicActorsRemain()
    {
        await using var server = await RpcServer.StartAsync(builder => builder.Services.AddActorRpc().AddTopicPattern("orders.*"));
        var topics = server.App.Services.GetRequiredService<IRequiredActor<TopicsRoot>>().ActorRef;

        await using (var unsubscribing = await server.ConnectAsync())
        {
            for (var i = 0; i < 100; i++)
            {
                await unsubscribing.CallAsync("subscribe", new[] { $"orders.{i}" });
                await unsubscribing.CallAsync("unsubscribe", new[] { $"orders.{i}" });
            }
        }

        var closing = await server.ConnectAsync();
        await closing.CallAsync("subscribe", Enumerable.Range(100, 100).Select(i => $"orders.{i}").ToArray());
        await closing.DisposeAsync();

        // A topic that is still subscribed stays, and still delivers.
        await using var staying = await server.ConnectAsync();
        await staying.CallAsync("subscribe", new[] { "orders.7" });

        await Eventually.AssertAsync(async () =>
        {
            var registrations = await topics.Ask<TopicProtocol.Registrations>(TopicProtocol.GetRegistrations.Instance, TestTimeouts.Long);
            Assert.Equal(["admin", "clock", "news", "orders.7"], registrations.PerTopic.Keys.Order(StringComparer.Ordinal));
        });

        server.App.Services.GetRequiredService<ITopicPublisher>().Publish("orders.7", new[] { 7 });
        Assert.Equal(7, (await staying.ReceiveJsonAsync()).GetProperty("params")[0].GetInt32());
    }

    [Fact]
    public async Task PatternTopic_ChurnWhilePruning_NoSubscriptionLost()
    {
        await using var server = await RpcServer.StartAsync(builder => builder.Services.AddActorRpc().AddTopicPattern("orders.*"));
        var sockets = new List<RpcTestSocket>();
        for (var i = 0; i < 20; i++)
        {
            sockets.Add(await server.ConnectAsync());
        }

        // Every session ends subscribed, after many empty moments that start prunes.
        await Task.WhenAll(sockets.Select(async socket =>
        {
            for (var round = 0; round < 30; round++)
            {
                await socket.CallAsync("subscribe", new[] { "orders.hot" });
                await socket.CallAsync("unsubscribe", new[] { "orders.hot" });
            }

            await socket.CallAsync("subscribe", new[] { "orders.hot" });
        })).DefaultTimeout();

        server.App.Services.GetRequiredService<ITopicPublisher>().Publish("orders.hot", new[] { "all" });
        foreach (var socket in sockets)
        {
            Assert.Equal("all", (await socket.ReceiveJsonAsync()).GetProperty("params")[0].GetString());
            await socket.DisposeAsync();
        }
    }
}
