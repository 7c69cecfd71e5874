using Akka.Actor;
using Akka.Hosting;
using ActorRpc.Actors;
using ActorRpc.Actors.Topics;
using ActorRpc.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace ActorRpc.Tests.Topics;

public sealed class TopicsSpec(TopicsServerFixture fixture) : IClassFixture<TopicsServerFixture>
{
    private RpcServer Server => fixture.Server;

    [Theory]
    [InlineData("""["a"]""", new[] { "a" })]
    [InlineData("""["a","b"]""", new[] { "a", "b" })]
    [InlineData("""[["a","b"]]""", new[] { "a", "b" })]
    [InlineData("""{"topics":"a"}""", new[] { "a" })]
    [InlineData("""{"topics":["b","a"]}""", new[] { "a", "b" })]
    public async Task Subscribe_EveryAcceptedForm_ReturnsCurrentSubscriptions(string parameters, string[] expected)
    {
        await using var socket = await Server.ConnectAsync();
        await socket.SendAsync($$"""{"jsonrpc":"2.0","method":"subscribe","params":{{parameters}},"id":1}""");
        var result = JsonAssert.Result(await socket.ReceiveJsonAsync());
        Assert.Equal(expected, result.EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(expected, JsonAssert.Result(await socket.CallAsync("get_subscriptions")).EnumerateArray().Select(e => e.GetString()));
    }

    [Fact]
    public async Task Unsubscribe_OneOfTwo_ReturnsTheOther()
    {
        await using var socket = await Server.ConnectAsync();
        await socket.CallAsync("subscribe", new[] { "a", "b" });
        var result = JsonAssert.Result(await socket.CallAsync("unsubscribe", new { topics = "a" }));
        Assert.Equal(["b"], result.EnumerateArray().Select(e => e.GetString()));
    }

    [Fact]
    public async Task Subscribe_UnknownTopic_InvalidParamsNamingTheTopic()
    {
        await using var socket = await Server.ConnectAsync();
        var error = JsonAssert.Error(await socket.CallAsync("subscribe", new[] { "a", "nope" }), -32602);
        Assert.Contains("'nope'", error.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Empty(JsonAssert.Result(await socket.CallAsync("get_subscriptions")).EnumerateArray()); // all or nothing
    }

    [Fact]
    public async Task GetTopics_Always_ListsTopicsAndPatterns()
    {
        await using var socket = await Server.ConnectAsync();
        var topics = JsonAssert.Result(await socket.CallAsync("get_topics")).EnumerateArray().Select(e => e.GetString()).ToList();
        Assert.Equal(["a", "b", "clock", "news", "orders.*"], topics);
    }

    [Fact]
    public async Task Publish_ToSubscribedTopic_NotificationWithoutId()
    {
        await using var subscriber = await Server.ConnectAsync();
        await using var publisher = await Server.ConnectAsync();
        await subscriber.CallAsync("subscribe", new[] { "news" });

        JsonAssert.Result(await publisher.CallAsync("publish", new { topic = "news", data = new { headline = "hi" } }));

        var notification = await subscriber.ReceiveJsonAsync();
        JsonAssert.Equivalent("""{"jsonrpc":"2.0","method":"news","params":{"headline":"hi"}}""", notification.GetRawText());
        Assert.False(notification.TryGetProperty("id", out _));
    }

    [Fact]
    public async Task Publish_PatternTopic_ReachesItsSubscriberOnly()
    {
        await using var subscriber = await Server.ConnectAsync();
        await using var publisher = await Server.ConnectAsync();
        await subscriber.CallAsync("subscribe", new[] { "orders.42" });

        await publisher.CallAsync("publish", new { topic = "orders.7", data = new[] { 7 } });
        await publisher.CallAsync("publish", new { topic = "orders.42", data = new[] { 42 } });

        var notification = await subscriber.ReceiveJsonAsync();
        Assert.Equal("orders.42", notification.GetProperty("method").GetString());
    }

    [Theory]
    [InlineData("1")]
    [InlineData("\"text\"")]
    [InlineData("null")]
    public async Task Publish_ScalarData_InvalidParams(string data)
    {
        await using var socket = await Server.ConnectAsync();
        await socket.SendAsync($$"""{"jsonrpc":"2.0","method":"publish","params":{"topic":"news","data":{{data}}},"id":1}""");
        JsonAssert.Error(await socket.ReceiveJsonAsync(), -32602);
    }

    [Fact]
    public async Task Publish_UndeclaredTopic_InvalidParams()
    {
        await using var socket = await Server.ConnectAsync();
        var error = JsonAssert.Error(await socket.CallAsync("publish", new { topic = "secret", data = new { } }), -32602);
        Assert.Contains("secret", error.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Publisher_ScalarData_ArgumentException()
    {
        var publisher = Server.App.Services.GetRequiredService<ITopicPublisher>();
        Assert.Throws<ArgumentException>(() => publisher.Publish("news", 5));
        Assert.Throws<ArgumentException>(() => publisher.Publish("undeclared", new { }));
    }

    [Fact]
    public async Task RetainedState_NewSubscriber_GetsStateRightAfterSubscribing()
    {
        await using var publisher = await Server.ConnectAsync();
        JsonAssert.Result(await publisher.CallAsync("publish", new { topic = "b", data = new { version = 1 }, retain = true }));
        JsonAssert.Result(await publisher.CallAsync("publish", new { topic = "b", data = new { version = 2 }, retain = true }));

        // Publishing is asynchronous: a subscriber that arrives early may see state 1 first; it must end on 2.
        await using var subscriber = await Server.ConnectAsync();
        await subscriber.CallAsync("subscribe", new[] { "b" });
        var state = await subscriber.ReceiveJsonAsync();
        while (state.GetProperty("params").GetProperty("version").GetInt32() != 2)
        {
            state = await subscriber.ReceiveJsonAsync();
        }

        Assert.Equal("b", state.GetProperty("method").GetString());
    }

    [Fact]
    public async Task Notifies_OneHundredFromOnePublisher_ArriveInOrder()
    {
        await using var subscriber = await Server.ConnectAsync();
        await subscriber.CallAsync("subscribe", new[] { "a" });
        var publisher = Server.App.Services.GetRequiredService<ITopicPublisher>();
        for (var i = 0; i < 100; i++)
        {
            publisher.Publish("a", new[] { i });
        }

        for (var i = 0; i < 100; i++)
        {
            var notification = await subscriber.ReceiveJsonAsync();
            Assert.Equal(i, notification.GetProperty("params")[0].GetInt32());
        }
    }

    [Fact]
    public async Task Clock_Subscribed_TickerActorNotifies()
    {
        await using var subscriber = await Server.ConnectAsync();
        await subscriber.CallAsync("subscribe", new[] { "clock" });
        var tick = await subscriber.ReceiveJsonAsync();
        Assert.Equal("clock", tick.GetProperty("method").GetString());
        Assert.True(tick.GetProperty("params").GetProperty("tick").GetInt64() >= 1);
    }

    [Fact]
    public async Task Sessions_FiveThousandSubscribedThenClosed_TopicActorsEndWithZeroRegistrations()
    {
        await using var server = await RpcServer.StartAsync();
        var topics = server.App.Services.GetRequiredService<IRequiredActor<TopicsRoot>>().ActorRef;
        const int sessions = 5000;
        const int parallel = 50;
        var peak = 0;
        await Task.WhenAll(Enumerable.Range(0, parallel).Select(async worker =>
        {
            for (var i = worker; i < sessions; i += parallel)
            {
                var socket = await server.ConnectAsync();
                JsonAssert.Result(await socket.CallAsync("subscribe", new[] { i % 2 == 0 ? "news" : "clock" }));
                if (i == sessions / 2)
                {
                    var during = await topics.Ask<TopicProtocol.Registrations>(TopicProtocol.GetRegistrations.Instance, TestTimeouts.Long);
                    Interlocked.Exchange(ref peak, during.Total);
                }

                await socket.DisposeAsync();
            }
        })).WaitAsync(TimeSpan.FromMinutes(3));

        Assert.True(peak > 0, "Registrations are counted while sessions are subscribed.");
        await Eventually.AssertAsync(async () =>
        {
            var after = await topics.Ask<TopicProtocol.Registrations>(TopicProtocol.GetRegistrations.Instance, TestTimeouts.Long);
            Assert.Equal(0, after.Total);
        });
    }
}
