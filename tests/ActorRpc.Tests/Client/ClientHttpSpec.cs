using System.Text.Json;
using ActorRpc.Client;
using ActorRpc.Testing;
using ActorRpc.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace ActorRpc.Tests.Client;

/// <summary>An <c>http://</c> client: calls only, one POST per message.</summary>
public sealed class ClientHttpSpec(ClientServerFixture fixture) : IClassFixture<ClientServerFixture>
{
    private Task<ActorRpcClient> ConnectAsync() => ActorRpcClient.ConnectAsync(fixture.Server.RpcUri).DefaultTimeout();

    [Fact]
    public async Task Calls_OverPost_ReturnResultsAndErrors()
    {
        await using var client = await ConnectAsync();
        Assert.Equal(5L, await client.CallAsync<long>("add", 2, 3).DefaultTimeout());
        Assert.Equal(9L, await client.CallNamedAsync<long>("add", new { a = 4, b = 5 }).DefaultTimeout());
        var error = await Assert.ThrowsAsync<RpcCallException>(() => client.CallAsync<object>("fail_with_data").DefaultTimeout());
        Assert.Equal(ClientSpecMethods.DataErrorCode, error.Code);
        Assert.Equal(7, error.ErrorData!.Value.GetProperty("count").GetInt32());
    }

    [Fact]
    public async Task Notify_OverPost_Completes()
    {
        await using var client = await ConnectAsync();
        await client.NotifyAsync("echo", "hi").DefaultTimeout();
    }

    [Fact]
    public async Task Timeout_OverPost_ThrowsTimeoutException()
    {
        await using var client = await ConnectAsync();
        await Assert.ThrowsAsync<TimeoutException>(() => client.CallAsync<int>("sleep", [10_000], TimeSpan.FromMilliseconds(300), CancellationToken.None).DefaultTimeout());
    }

    [Fact]
    public async Task SubscriptionsAndClientMethods_NeedAWebSocket()
    {
        await using var client = await ConnectAsync();
        await Assert.ThrowsAsync<NotSupportedException>(() => client.SubscribeAsync<JsonElement>("news"));
        Assert.Throws<NotSupportedException>(() => client.AddMethod("confirm", () => true));
    }

    [Fact]
    public async Task UnreachableServer_FailsWithConnectionLost()
    {
        await using var client = await ActorRpcClient.ConnectAsync(new Uri($"http://127.0.0.1:{LoopbackHost.FreePort()}/rpc")).DefaultTimeout();
        await Assert.ThrowsAsync<RpcConnectionLostException>(() => client.CallAsync<long>("add", 1, 2).DefaultTimeout());
    }

    [Fact]
    public async Task RequestsInAPostsAnswer_AreLoggedAndIgnored_NotAnsweredWithANewPost()
    {
        var posts = 0;
        await using var app = await LibraryApp.StartAsync(_ => { }, web => web.MapPost("/rpc", async context =>
        {
            Interlocked.Increment(ref posts);
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync("""[{"jsonrpc":"2.0","id":"s:1","method":"confirm"},{"jsonrpc":"2.0","method":"note"}]""");
        }));
        using var logs = new CapturedLogs(LogLevel.Debug);
        using var loggerFactory = LoggerFactory.Create(builder => builder.AddProvider(logs).SetMinimumLevel(LogLevel.Debug));
        await using var client = await ActorRpcClient.ConnectAsync(new Uri(app.HttpAddress, "/rpc"), options => options.LoggerFactory = loggerFactory).DefaultTimeout();

        await client.NotifyAsync("anything").DefaultTimeout();

        // The answer is dispatched before NotifyAsync returns: both were ignored by then, and no
        // answer to "s:1" went out as a second POST.
        Assert.Equal(2, logs.Entries.Count(entry => entry.Message.Contains("over HTTP the server cannot call the client", StringComparison.Ordinal)));
        Assert.Equal(1, Volatile.Read(ref posts));
    }
}
