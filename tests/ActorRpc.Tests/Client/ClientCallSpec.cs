using System.Text.Json;
using ActorRpc.Client;
using ActorRpc.Tests.Infrastructure;
using Microsoft.Extensions.Time.Testing;

namespace ActorRpc.Tests.Client;

/// <summary>Every call form of <see cref="ActorRpcClient"/> against a real node, and how each fails.</summary>
public sealed class ClientCallSpec(ClientServerFixture fixture) : IClassFixture<ClientServerFixture>
{
    private Task<ActorRpcClient> ConnectAsync(Action<ActorRpcClientOptions>? configure = null) =>
        ActorRpcClient.ConnectAsync(fixture.Server.WebSocketUri, configure).DefaultTimeout();

    [Fact]
    public async Task CallAsync_Positional_ReturnsTypedResult()
    {
        await using var client = await ConnectAsync();
        Assert.Equal(5L, await client.CallAsync<long>("add", 2, 3).DefaultTimeout());
        Assert.Equal(RpcConnectionState.Connected, client.State);
    }

    [Fact]
    public async Task CallNamedAsync_ObjectParams_ReturnsTypedResult()
    {
        await using var client = await ConnectAsync();
        Assert.Equal(12L, await client.CallNamedAsync<long>("add", new { a = 5, b = 7 }).DefaultTimeout());
    }

    [Fact]
    public async Task CallAsync_Untyped_ReturnsRawJson()
    {
        await using var client = await ConnectAsync();
        var parameters = JsonDocument.Parse("""{"x":[1,"two"]}""").RootElement;
        var result = await client.CallAsync("echo", parameters).DefaultTimeout();
        Assert.Equal("""{"x":[1,"two"]}""", result.GetRawText());
    }

    [Fact]
    public async Task CallAsync_NoParams_SendsNone()
    {
        await using var client = await ConnectAsync();
        Assert.Equal("pong", await client.CallAsync<string>("ping").DefaultTimeout());

        // echo returns its params: none sent means null.
        Assert.Equal(JsonValueKind.Null, (await client.CallAsync("echo").DefaultTimeout()).ValueKind);
    }

    [Fact]
    public async Task CallAsync_ConcurrentCalls_EachGetsItsOwnAnswer()
    {
        await using var client = await ConnectAsync();
        var calls = Enumerable.Range(0, 50).Select(i => client.CallAsync<long>("add", i, 1000)).ToList();
        var results = await Task.WhenAll(calls).DefaultTimeout();
        for (var i = 0; i < 50; i++)
        {
            Assert.Equal(i + 1000L, results[i]);
        }
    }

    [Fact]
    public async Task ServerError_ThrowsRpcCallExceptionWithCodeAndMessage()
    {
        await using var client = await ConnectAsync();
        var error = await Assert.ThrowsAsync<RpcCallException>(() => client.CallAsync<object>("computer_says_no").DefaultTimeout());
        Assert.Equal(-32050, error.Code);
        Assert.Equal("Computer says no.", error.Message);
        Assert.Null(error.ErrorData);
    }

    [Fact]
    public async Task ServerError_WithData_CarriesTheData()
    {
        await using var client = await ConnectAsync();
        var error = await Assert.ThrowsAsync<RpcCallException>(() => client.CallAsync<object>("fail_with_data").DefaultTimeout());
        Assert.Equal(ClientSpecMethods.DataErrorCode, error.Code);
        Assert.Equal("Nope", error.Message);
        var data = Assert.NotNull(error.ErrorData);
        Assert.Equal("because", data.GetProperty("reason").GetString());
        Assert.Equal(7, data.GetProperty("count").GetInt32());
        Assert.Equal("because", Assert.NotNull(error.Data).GetProperty("reason").GetString()); // the name for it
    }

    [Fact]
    public async Task UnknownMethod_ThrowsMethodNotFound()
    {
        await using var client = await ConnectAsync();
        var error = await Assert.ThrowsAsync<RpcCallException>(() => client.CallAsync<object>("no_such_method").DefaultTimeout());
        Assert.Equal(-32601, error.Code);
    }

    [Fact]
    public async Task BadParams_ThrowsInvalidParams()
    {
        await using var client = await ConnectAsync();
        var error = await Assert.ThrowsAsync<RpcCallException>(() => client.CallAsync<long>("add", "x", 1).DefaultTimeout());
        Assert.Equal(-32602, error.Code);
    }

    [Fact]
    public async Task ResultOfWrongType_ThrowsJsonException()
    {
        await using var client = await ConnectAsync();
        await Assert.ThrowsAsync<JsonException>(() => client.CallAsync<int[]>("ping").DefaultTimeout());
    }

    [Fact]
    public async Task Cancel_ThrowsOperationCanceled_AndTheHandlersTokenFires()
    {
        await using var client = await ConnectAsync();
        var key = Guid.NewGuid().ToString("N");
        var probe = ClientSpecMethods.Probe(key);
        using var cancellation = new CancellationTokenSource();
        var call = client.CallAsync<string>("hold", [key], cancellation.Token);
        await probe.Started.Task.DefaultTimeout();

        await cancellation.CancelAsync();

        var thrown = await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call.DefaultTimeout());
        Assert.Equal(cancellation.Token, thrown.CancellationToken);

        // $/cancelRequest reached the server: the handler's own token fired.
        await probe.Cancelled.Task.DefaultTimeout();
    }

    [Fact]
    public async Task PerCallTimeout_ThrowsTimeoutException_AndCancelsOnTheServer()
    {
        // The client's clock is fake: the deadline passes only once the handler surely runs.
        var time = new FakeTimeProvider();
        await using var client = await ConnectAsync(options => options.TimeProvider = time);
        var key = Guid.NewGuid().ToString("N");
        var probe = ClientSpecMethods.Probe(key);

        var call = client.CallAsync<string>("hold", [key], TimeSpan.FromSeconds(1), CancellationToken.None);
        await probe.Started.Task.DefaultTimeout();
        Assert.False(call.IsCompleted);

        time.Advance(TimeSpan.FromSeconds(1));

        await Assert.ThrowsAsync<TimeoutException>(() => call.DefaultTimeout());
        await probe.Cancelled.Task.DefaultTimeout();
    }

    [Fact]
    public async Task DefaultTimeout_AppliesToCallsWithoutTheirOwn()
    {
        await using var client = await ConnectAsync(options => options.DefaultTimeout = TimeSpan.FromMilliseconds(300));
        await Assert.ThrowsAsync<TimeoutException>(() => client.CallAsync<int>("sleep", 10_000).DefaultTimeout());

        // The connection is still good afterwards, and a later answer to the timed-out id is ignored.
        Assert.Equal(3L, await client.CallAsync<long>("add", 1, 2).DefaultTimeout());
    }

    [Fact]
    public async Task CancellationTokenAmongParams_IsRefused()
    {
        await using var client = await ConnectAsync();
        await Assert.ThrowsAsync<ArgumentException>(() => client.CallAsync<int>("sleep", 10, CancellationToken.None));
    }

    [Fact]
    public async Task NotifyAsync_IsSentAndAnsweredByNothing()
    {
        await using var client = await ConnectAsync();
        await using var news = await client.SubscribeAsync<JsonElement>("news").DefaultTimeout();

        // A notification to publish runs on the server (its effect arrives) but gets no answer.
        await client.NotifyNamedAsync("publish", new { topic = "news", data = new { headline = "notified" } }).DefaultTimeout();

        await using var items = news.GetAsyncEnumerator();
        Assert.True(await items.MoveNextAsync().AsTask().DefaultTimeout());
        Assert.Equal("notified", items.Current.GetProperty("headline").GetString());
    }

    [Fact]
    public async Task CallAfterDispose_ThrowsObjectDisposed()
    {
        var client = await ConnectAsync();
        await client.DisposeAsync();
        Assert.Equal(RpcConnectionState.Closed, client.State);
        await Assert.ThrowsAsync<ObjectDisposedException>(() => client.CallAsync<long>("add", 1, 2));
    }

    [Fact]
    public async Task Dispose_FailsCallsInFlightAtOnce()
    {
        var client = await ConnectAsync();
        var call = client.CallAsync<int>("sleep", 60_000);
        await client.DisposeAsync().AsTask().DefaultTimeout();
        await Assert.ThrowsAsync<RpcConnectionLostException>(() => call.DefaultTimeout());
    }
}
