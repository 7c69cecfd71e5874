using System.Text.Json;
using ActorRpc.Client;
using ActorRpc.Tests.Infrastructure;

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
}
