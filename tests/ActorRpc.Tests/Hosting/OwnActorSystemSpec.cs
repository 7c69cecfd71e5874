using System.Text.Json;
using ActorRpc.Tests.Infrastructure;
using Akka.Actor;
using Akka.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace ActorRpc.Tests.Hosting;

/// <summary>
/// Issue 11: an application that brings its own Akka.Hosting actor system adds ActorRpc to it with
/// WithActorRpc(); its own actors then host methods and publish. Wiring mistakes fail start-up
/// with a message that says what to change.
/// </summary>
public sealed class OwnActorSystemSpec
{
    private const string SystemName = "shop";

    [Fact]
    public async Task OwnAddAkka_WithActorRpc_ActorsRunInTheAppsSystem()
    {
        await using var app = await StartAsync();
        var system = app.App.Services.GetRequiredService<ActorSystem>();
        Assert.Equal(SystemName, system.Name);

        await using var socket = await app.ConnectAsync();
        Assert.Equal("ORDER-7", JsonAssert.Result(await socket.CallAsync("orders.shout", new[] { "order-7" })).GetString());
        Assert.Equal(
            ["authenticate", "get_methods", "get_subscriptions", "get_topics", "orders.shout", "rpc.discover", "subscribe", "unsubscribe"],
            JsonAssert.Result(await socket.CallAsync("get_methods")).EnumerateArray().Select(e => e.GetString()!).ToArray());
    }

    [Fact]
    public async Task OwnAddAkka_AppActorPublishes_SubscriberReceives()
    {
        await using var app = await StartAsync();
        await using var socket = await app.ConnectAsync();
        JsonAssert.Result(await socket.CallAsync("subscribe", new[] { "ticks" }));
        var announcer = await app.App.Services.GetRequiredService<ActorRegistry>().GetAsync<Announcer>();

        // Told again until it arrives: the topic's pub/sub registration may still be on its way.
        JsonElement? notification = null;
        await Eventually.AssertAsync(async () =>
        {
            announcer.Tell("sale");
            try
            {
                notification = await socket.ReceiveJsonAsync(TestTimeouts.Short);
            }
            catch (OperationCanceledException)
            {
                Assert.Fail("No notification yet.");
            }
        });
        Assert.Equal("ticks", notification!.Value.GetProperty("method").GetString());
        Assert.Equal("sale", notification.Value.GetProperty("params").GetProperty("said").GetString());
    }

    [Fact]
    public async Task AddAkkaAfterAddActorRpc_StartFails_SayingToSwapThem()
    {
        await using var app = LibraryApp.Build(
            builder =>
            {
                builder.Services.AddActorRpc().AddTopic("ticks");
                builder.Services.AddAkka(SystemName, akka => akka.WithActorRpcCluster(new ClusterNodeOptions()).WithActorRpc());
            },
            web => web.MapActorRpc("/rpc"),
            [],
            out _);
        var error = await Assert.ThrowsAnyAsync<Exception>(() => app.StartAsync().DefaultTimeout());
        Assert.Contains("AddAkka(...) was called after AddActorRpc()", error.ToString(), StringComparison.Ordinal);
        await app.StopAsync().DefaultTimeout();
    }

    [Fact]
    public async Task OwnAddAkkaWithoutWithActorRpc_StartFails_SayingToAddIt()
    {
        await using var app = LibraryApp.Build(
            builder =>
            {
                builder.Services.AddAkka(SystemName, akka => akka.WithActorRpcCluster(new ClusterNodeOptions()));
                builder.Services.AddActorRpc().AddTopic("ticks");
            },
            web => web.MapActorRpc("/rpc"),
            [],
            out _);
        var error = await Assert.ThrowsAnyAsync<Exception>(() => app.StartAsync().DefaultTimeout());
        Assert.Contains("ActorRpc's actors did not start", error.ToString(), StringComparison.Ordinal);
        await app.StopAsync().DefaultTimeout();
    }

    private static Task<LibraryApp> StartAsync() => LibraryApp.StartAsync(
        builder =>
        {
            builder.Services.AddAkka(SystemName, (akka, _) => akka
                .WithActorRpcCluster(new ClusterNodeOptions())
                .WithActorRpc()
                .WithActors((system, registry) => registry.Register<Announcer>(system.ActorOf(Props.Create(() => new Announcer()), "announcer"))));
            builder.Services.AddActorRpc()
                .AddActorMethod("orders.shout", Props.Create(() => new ShoutingHandler()))
                .AddTopic("ticks");
        },
        web => web.MapActorRpc("/rpc"));

    /// <summary>An application actor that publishes what it is told.</summary>
    private sealed class Announcer : ReceiveActor
    {
        public Announcer() => Receive<string>(said => RpcTopics.Get(Context.System).Publish("ticks", new { said }));
    }

    private sealed class ShoutingHandler : ReceiveActor
    {
        public ShoutingHandler() => Receive<RpcInvocation>(call => Sender.Tell(new RpcReply(call.Params!.Value[0].GetString()!.ToUpperInvariant())));
    }
}
