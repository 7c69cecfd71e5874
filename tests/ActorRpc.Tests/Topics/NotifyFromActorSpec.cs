using Akka.Actor;
using Akka.Hosting;
using ActorRpc.Actors;
using ActorRpc.Actors.Topics;
using Microsoft.Extensions.DependencyInjection;

namespace ActorRpc.Tests.Topics;

/// <summary>The notify API from inside actors: a Tell to the topics actor, or the actor-system extension.</summary>
public sealed class NotifyFromActorSpec(TopicsServerFixture fixture) : IClassFixture<TopicsServerFixture>
{
    [Fact]
    public async Task Actor_TellsNotify_SubscriberReceives()
    {
        await using var subscriber = await fixture.Server.ConnectAsync();
        await subscriber.CallAsync("subscribe", new[] { "a" });
        var system = fixture.Server.App.Services.GetRequiredService<ActorSystem>();
        var topics = fixture.Server.App.Services.GetRequiredService<IRequiredActor<TopicsRoot>>().ActorRef;

        system.ActorOf(Props.Create(() => new OneShotPublisher(context => topics.Tell(new TopicProtocol.Notify("a", new { from = "tell" }), context.Self))));

        var notification = await subscriber.ReceiveJsonAsync();
        Assert.Equal("tell", notification.GetProperty("params").GetProperty("from").GetString());
    }

    [Fact]
    public async Task Actor_UsesExtension_SubscriberReceives()
    {
        await using var subscriber = await fixture.Server.ConnectAsync();
        await subscriber.CallAsync("subscribe", new[] { "b" });
        var system = fixture.Server.App.Services.GetRequiredService<ActorSystem>();

        system.ActorOf(Props.Create(() => new OneShotPublisher(context => RpcTopics.Get(context.System).Publish("b", new[] { "extension" }, false))));

        var notification = await subscriber.ReceiveJsonAsync();
        Assert.Equal("extension", notification.GetProperty("params")[0].GetString());
    }

    /// <summary>An application actor that publishes once it starts.</summary>
    private sealed class OneShotPublisher(Action<IActorContext> publish) : ReceiveActor
    {
        protected override void PreStart() => publish(Context);
    }
}
