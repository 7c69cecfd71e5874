using System.Net.WebSockets;
using System.Text.Json;
using ActorRpc.Client;
using ActorRpc.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace ActorRpc.Tests.Client;

/// <summary>
/// Reconnect against real nodes: the server stops, a new one starts on the same port; calls in
/// flight fail at once, subscriptions are made again and their enumerators go on.
/// </summary>
public sealed class ClientReconnectSpec
{
    private static Task<RpcServer> StartOnAsync(int port, params string[] settings) =>
        LoopbackHost.RebindAsync(() => RpcServer.StartAsync(null, ["--urls", $"http://127.0.0.1:{port}", .. settings]));

    [Fact]
    public async Task ServerRestartsOnTheSamePort_SubscriptionsResume_CallsInFlightFailFast()
    {
        var port = LoopbackHost.FreePort();
        var server = await StartOnAsync(port);
        try
        {
            var reconnecting = new TaskCompletionSource<RpcReconnectingEventArgs>(TaskCreationOptions.RunContinuationsAsynchronously);
            var reconnected = new TaskCompletionSource<RpcReconnectedEventArgs>(TaskCreationOptions.RunContinuationsAsynchronously);
            await using var client = await ActorRpcClient.ConnectAsync(server.WebSocketUri, options =>
            {
                options.DefaultTimeout = Timeout.InfiniteTimeSpan;
                options.Reconnect.InitialDelay = TimeSpan.FromMilliseconds(50);
                options.Reconnect.MaxDelay = TimeSpan.FromMilliseconds(250);
            }).DefaultTimeout();
            client.Reconnecting += (_, args) => reconnecting.TrySetResult(args);
            client.Reconnected += (_, args) => reconnected.TrySetResult(args);

            await using var news = await client.SubscribeAsync<JsonElement>("news").DefaultTimeout();
            await using var items = news.GetAsyncEnumerator();
            server.App.Services.GetRequiredService<ITopicPublisher>().Publish("news", new { n = 1 });
            Assert.True(await items.MoveNextAsync().AsTask().DefaultTimeout());
            Assert.Equal(1, items.Current.GetProperty("n").GetInt32());

            // A call the server holds for ten minutes: only the drop can end it.
            var inFlight = client.CallAsync<int>("sleep", 600_000);
            var next = items.MoveNextAsync().AsTask();

            await server.DisposeAsync();

            await Assert.ThrowsAsync<RpcConnectionLostException>(() => inFlight.DefaultTimeout());
            await reconnecting.Task.DefaultTimeout();
            Assert.Equal(RpcConnectionState.Reconnecting, client.State);

            // A call made while reconnecting waits for the new connection rather than failing.
            var waiting = client.CallAsync<long>("add", 20, 22);
            Assert.False(next.IsCompleted);

            server = await StartOnAsync(port);
            await reconnected.Task.DefaultTimeout();
            Assert.Equal(RpcConnectionState.Connected, client.State);
            Assert.Equal(42L, await waiting.DefaultTimeout());
            Assert.Equal(["news"], await client.CallAsync<string[]>("get_subscriptions").DefaultTimeout() ?? []);

            // The same enumerator goes on with a publish made on the new node.
            server.App.Services.GetRequiredService<ITopicPublisher>().Publish("news", new { n = 2 });
            Assert.True(await next.DefaultTimeout());
            Assert.Equal(2, items.Current.GetProperty("n").GetInt32());
        }
        finally
        {
            await server.DisposeAsync();
        }
    }

    [Fact]
    public async Task TokenIsAskedAgainOnReconnect_AndTheNewNodeSeesTheNewUser()
    {
        var port = LoopbackHost.FreePort();
        var server = await StartOnAsync(port, TestTokens.BearerArguments());
        try
        {
            var asked = 0;
            var reconnected = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            await using var client = await ActorRpcClient.ConnectAsync(server.WebSocketUri, options =>
            {
                options.AccessToken = () => TestTokens.Mint("user-" + Interlocked.Increment(ref asked));
                options.Reconnect.InitialDelay = TimeSpan.FromMilliseconds(50);
                options.Reconnect.MaxDelay = TimeSpan.FromMilliseconds(250);
            }).DefaultTimeout();
            client.Reconnected += (_, _) => reconnected.TrySetResult();
            Assert.Equal("user-1", (await client.CallAsync<JsonElement>("whoami").DefaultTimeout()).GetProperty("name").GetString());

            await server.DisposeAsync();
            server = await StartOnAsync(port, TestTokens.BearerArguments());
            await reconnected.Task.DefaultTimeout();

            var name = (await client.CallAsync<JsonElement>("whoami").DefaultTimeout()).GetProperty("name").GetString();
            Assert.Equal("user-" + Volatile.Read(ref asked), name);
            Assert.NotEqual("user-1", name);
        }
        finally
        {
            await server.DisposeAsync();
        }
    }

    [Fact]
    public async Task AccessToken_OverHttp_IsSentOnEachPost()
    {
        await using var server = await RpcServer.StartAsync(null, TestTokens.BearerArguments());
        await using var client = await ActorRpcClient.ConnectAsync(server.RpcUri, options => options.AccessToken = () => TestTokens.Mint("poster")).DefaultTimeout();

        Assert.Equal("poster", (await client.CallAsync<JsonElement>("whoami").DefaultTimeout()).GetProperty("name").GetString());

        await using var anonymous = await ActorRpcClient.ConnectAsync(server.RpcUri).DefaultTimeout();
        Assert.Equal(-32010, (await Assert.ThrowsAsync<RpcCallException>(() => anonymous.CallAsync<JsonElement>("whoami").DefaultTimeout())).Code);

        // A token the server rejects is an HTTP 401, not a JSON-RPC answer.
        await using var forged = await ActorRpcClient.ConnectAsync(server.RpcUri, options => options.AccessToken = () => "not-a-token").DefaultTimeout();
        var refused = await Assert.ThrowsAsync<HttpRequestException>(() => forged.CallAsync<JsonElement>("whoami").DefaultTimeout());
        Assert.Equal(System.Net.HttpStatusCode.Unauthorized, refused.StatusCode);
    }

    [Fact]
    public async Task ReconnectGivesUp_AfterMaxAttempts_ClosesAndEndsSubscriptions()
    {
        var server = await RpcServer.StartAsync();
        var closed = new TaskCompletionSource<RpcClosedEventArgs>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var client = await ActorRpcClient.ConnectAsync(server.WebSocketUri, options =>
        {
            options.Reconnect.InitialDelay = TimeSpan.FromMilliseconds(20);
            options.Reconnect.MaxDelay = TimeSpan.FromMilliseconds(50);
            options.Reconnect.MaxAttempts = 2;
        }).DefaultTimeout();
        client.Closed += (_, args) => closed.TrySetResult(args);
        var news = await client.SubscribeAsync<JsonElement>("news").DefaultTimeout();
        await using var items = news.GetAsyncEnumerator();
        var next = items.MoveNextAsync().AsTask();

        await server.DisposeAsync();

        var args = await closed.Task.DefaultTimeout();
        Assert.NotNull(args.Exception);
        Assert.Equal(RpcConnectionState.Closed, client.State);
        await Assert.ThrowsAsync<RpcConnectionLostException>(() => next.DefaultTimeout());
        await Assert.ThrowsAsync<RpcConnectionLostException>(() => client.CallAsync<long>("add", 1, 2).DefaultTimeout());
    }

    [Fact]
    public async Task DisposeWhileReconnecting_StopsAtOnce_AndRaisesClosed()
    {
        var server = await RpcServer.StartAsync();
        var reconnecting = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var closed = new TaskCompletionSource<RpcClosedEventArgs>(TaskCreationOptions.RunContinuationsAsynchronously);
        var client = await ActorRpcClient.ConnectAsync(server.WebSocketUri, options =>
        {
            options.DefaultTimeout = Timeout.InfiniteTimeSpan;
            options.Reconnect.InitialDelay = TimeSpan.FromMilliseconds(50);
        }).DefaultTimeout();
        client.Reconnecting += (_, _) => reconnecting.TrySetResult();
        client.Closed += (_, args) => closed.TrySetResult(args);

        // A call first: the node registers a socket a moment after the upgrade, and one it has not
        // registered yet is not closed by its shutdown (which then waits out the host's timeout).
        Assert.Equal(2L, await client.CallAsync<long>("add", 1, 1).DefaultTimeout());
        await server.DisposeAsync();
        await reconnecting.Task.DefaultTimeout();
        var waiting = client.CallAsync<long>("add", 1, 2);

        await client.DisposeAsync().AsTask().DefaultTimeout();

        Assert.Null((await closed.Task.DefaultTimeout()).Exception);
        Assert.Equal(RpcConnectionState.Closed, client.State);
        await Assert.ThrowsAsync<RpcConnectionLostException>(() => waiting.DefaultTimeout());
    }

    [Fact]
    public async Task FirstConnect_ToNothing_FailsAtOnce()
    {
        await Assert.ThrowsAsync<WebSocketException>(() =>
            ActorRpcClient.ConnectAsync(new Uri($"ws://127.0.0.1:{LoopbackHost.FreePort()}/rpc")).DefaultTimeout());
    }
}
