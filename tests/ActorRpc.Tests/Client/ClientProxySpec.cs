using System.Text.Json;
using ActorRpc.Client;
using ActorRpc.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace ActorRpc.Tests.Client;

/// <summary>The demo node's methods as an interface.</summary>
public interface IDemoApi
{
    Task<long> AddAsync(long a, long b);

    ValueTask<long> DivideAsync(long a, long b, CancellationToken cancellationToken);

    Task<int> SleepAsync(int ms, CancellationToken cancellationToken);

    Task ComputerSaysNoAsync();

    [RpcName("ping")]
    Task<string> HelloAsync();

    IAsyncEnumerable<JsonElement> News { get; }

    [RpcName("news")]
    IAsyncEnumerable<JsonElement> HeadlinesAsync(CancellationToken cancellationToken);
}

/// <summary>The methods the fixture serves under <c>calc</c>.</summary>
public interface ICalc
{
    Task<long> TwiceAsync(long x);

    ValueTask<long> AddThreeAsync(long a, long b, long c);
}

public interface IBadApi
{
    long Add(long a, long b);
}

/// <summary>Typed proxies (<see cref="ActorRpcClient.Attach{T}"/>) against a real node.</summary>
public sealed class ClientProxySpec(ClientServerFixture fixture) : IClassFixture<ClientServerFixture>
{
    private Task<ActorRpcClient> ConnectAsync() => ActorRpcClient.ConnectAsync(fixture.Server.WebSocketUri).DefaultTimeout();

    [Fact]
    public async Task Proxy_CallsMethodsNamedLikeTheServer()
    {
        await using var client = await ConnectAsync();
        var demo = client.Attach<IDemoApi>();

        Assert.Equal(7L, await demo.AddAsync(3, 4).DefaultTimeout());
        Assert.Equal(4L, await demo.DivideAsync(8, 2, CancellationToken.None).AsTask().DefaultTimeout());
        Assert.Equal("pong", await demo.HelloAsync().DefaultTimeout());
        var error = await Assert.ThrowsAsync<RpcCallException>(() => demo.ComputerSaysNoAsync().DefaultTimeout());
        Assert.Equal(-32050, error.Code);
    }

    [Fact]
    public async Task Proxy_WithPrefix_JoinsItWithTheSeparator()
    {
        await using var client = await ConnectAsync();
        var calc = client.Attach<ICalc>("calc");

        Assert.Equal(42L, await calc.TwiceAsync(21).DefaultTimeout());
        Assert.Equal(6L, await calc.AddThreeAsync(1, 2, 3).AsTask().DefaultTimeout());
    }

    [Fact]
    public async Task Proxy_TokenParameter_IsTheCallsToken()
    {
        await using var client = await ConnectAsync();
        var demo = client.Attach<IDemoApi>();
        using var cancellation = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => demo.SleepAsync(60_000, cancellation.Token).DefaultTimeout());
    }

    [Fact]
    public async Task Proxy_AsyncEnumerableMember_IsASubscription()
    {
        await using var client = await ConnectAsync();
        var demo = client.Attach<IDemoApi>();
        await using var items = demo.News.GetAsyncEnumerator();
        var first = items.MoveNextAsync().AsTask();

        // Subscribed once enumeration started (the server lists it), then a publish arrives.
        await Eventually.AssertAsync(async () => Assert.Equal(["news"], await client.CallAsync<string[]>("get_subscriptions") ?? []));
        fixture.Server.App.Services.GetRequiredService<ITopicPublisher>().Publish("news", new { headline = "proxied" });

        Assert.True(await first.DefaultTimeout());
        Assert.Equal("proxied", items.Current.GetProperty("headline").GetString());

        await items.DisposeAsync();
        Assert.Empty(await client.CallAsync<string[]>("get_subscriptions").DefaultTimeout() ?? ["?"]);
    }

    [Fact]
    public async Task Proxy_AsyncEnumerableMethod_WithItsToken_IsASubscription()
    {
        await using var client = await ConnectAsync();
        var demo = client.Attach<IDemoApi>();
        using var stop = new CancellationTokenSource();
        await using var items = demo.HeadlinesAsync(stop.Token).GetAsyncEnumerator();
        var first = items.MoveNextAsync().AsTask();
        await Eventually.AssertAsync(async () => Assert.Equal(["news"], await client.CallAsync<string[]>("get_subscriptions") ?? []));
        fixture.Server.App.Services.GetRequiredService<ITopicPublisher>().Publish("news", new { headline = "by method" });
        Assert.True(await first.DefaultTimeout());

        // Its token ends the enumeration (and with it the subscription).
        var second = items.MoveNextAsync().AsTask();
        await stop.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => second.DefaultTimeout());
        await Eventually.AssertAsync(async () => Assert.Empty(await client.CallAsync<string[]>("get_subscriptions") ?? ["?"]));
    }

    [Fact]
    public async Task Attach_MemberThatIsNotACall_IsRefusedAtOnce()
    {
        await using var client = await ConnectAsync();
        Assert.Throws<NotSupportedException>(() => client.Attach<IBadApi>());
    }
}
