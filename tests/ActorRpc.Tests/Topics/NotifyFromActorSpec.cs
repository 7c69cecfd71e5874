using Akka.Actor;
using Microsoft.Extensions.DependencyInjection;

namespace ActorRpc.Tests.Topics;

/// <summary>The notify API from inside actors: the actor-system extension, the same publisher services get.</summary>
public sealed class NotifyFromActorSpec(TopicsServerFixture fixture) : IClassFixture<TopicsServerFixture>
{
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
