using System.Text.Json;
using ActorRpc.Client;
using ActorRpc.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace ActorRpc.Tests.Client;

/// <summary>Topic subscriptions as async enumerables against a real node.</summary>
public sealed class ClientSubscriptionSpec(ClientServerFixture fixture) : IClassFixture<ClientServerFixture>
{
    public sealed record Headline(string Title, int Number);

    private Task<ActorRpcClient> ConnectAsync(Action<ActorRpcClientOptions>? configure = null) =>
        ActorRpcClient.ConnectAsync(fixture.Server.WebSocketUri, configure).DefaultTimeout();

    private ITopicPublisher Publisher => fixture.Server.App.Services.GetRequiredService<ITopicPublisher>();

    [Fact]
    public async Task Subscribe_ReturnsOnceConfirmed_AndPublishedDataArrivesTyped()
    {
        await using var client = await ConnectAsync();
        await using var news = await client.SubscribeAsync<Headline>("news").DefaultTimeout();

        // Confirmed: the server lists it before anything is published.
        Assert.Contains("news", await client.CallAsync<string[]>("get_subscriptions").DefaultTimeout() ?? []);

        await using var publisher = await ConnectAsync();
        Assert.True(await publisher.CallNamedAsync<bool>("publish", new { topic = "news", data = new { title = "one", number = 1 } }).DefaultTimeout());
        Publisher.Publish("news", new { title = "two", number = 2 });

        var received = new List<Headline>();
        await foreach (var headline in news)
        {
            received.Add(headline);
            if (received.Count == 2)
            {
                break;
            }
        }

        Assert.Equal([new Headline("one", 1), new Headline("two", 2)], received);
    }

    [Fact]
    public async Task Dispose_Unsubscribes_AsTheServerShows()
    {
        await using var client = await ConnectAsync();
        var news = await client.SubscribeAsync<JsonElement>("news").DefaultTimeout();
        Assert.Equal(["news"], await client.CallAsync<string[]>("get_subscriptions").DefaultTimeout() ?? []);

        await news.DisposeAsync().AsTask().DefaultTimeout();

        Assert.Empty(await client.CallAsync<string[]>("get_subscriptions").DefaultTimeout() ?? ["?"]);

        // The enumeration ended.
        await using var items = news.GetAsyncEnumerator();
        Assert.False(await items.MoveNextAsync().AsTask().DefaultTimeout());
    }

    [Fact]
    public async Task TwoSubscriptionsToOneTopic_BothReceive_AndTheServerKeepsItUntilTheLastGoes()
    {
        await using var client = await ConnectAsync();
        var first = await client.SubscribeAsync<JsonElement>("news").DefaultTimeout();
        await using var second = await client.SubscribeAsync<JsonElement>("news").DefaultTimeout();

        Publisher.Publish("news", new { n = 1 });
        await using (var a = first.GetAsyncEnumerator())
        {
            Assert.True(await a.MoveNextAsync().AsTask().DefaultTimeout());
        }

        await using var b = second.GetAsyncEnumerator();
        Assert.True(await b.MoveNextAsync().AsTask().DefaultTimeout());

        await first.DisposeAsync();
        Assert.Equal(["news"], await client.CallAsync<string[]>("get_subscriptions").DefaultTimeout() ?? []);
    }

    [Fact]
    public async Task UnknownTopic_ThrowsInvalidParams_AndNothingIsLeftSubscribed()
    {
        await using var client = await ConnectAsync();
        var error = await Assert.ThrowsAsync<RpcCallException>(() => client.SubscribeAsync<JsonElement>("no-such-topic").DefaultTimeout());
        Assert.Equal(-32602, error.Code);
        Assert.Empty(await client.CallAsync<string[]>("get_subscriptions").DefaultTimeout() ?? ["?"]);
    }

    [Fact]
    public async Task SlowReader_OldestNotificationsAreDropped_NewestKept()
    {
        await using var client = await ConnectAsync(options => options.SubscriptionBufferSize = 2);
        await using var news = await client.SubscribeAsync<JsonElement>("news").DefaultTimeout();

        for (var i = 1; i <= 5; i++)
        {
            Publisher.Publish("news", new { n = i });
        }

        // The server delivers in publish order per publisher: once 5 arrived, 3 were dropped.
        await Eventually.AssertAsync(() => Assert.Equal(3, news.Dropped));
        var kept = new List<int>();
        await foreach (var item in news)
        {
            kept.Add(item.GetProperty("n").GetInt32());
            if (kept.Count == 2)
            {
                break;
            }
        }

        Assert.Equal([4, 5], kept);
    }

    [Fact]
    public async Task ClientDispose_EndsEveryEnumeration()
    {
        var client = await ConnectAsync();
        var news = await client.SubscribeAsync<JsonElement>("news").DefaultTimeout();
        await using var items = news.GetAsyncEnumerator();
        var next = items.MoveNextAsync().AsTask();

        await client.DisposeAsync();

        Assert.False(await next.DefaultTimeout());
    }
}
