using ActorRpc.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace ActorRpc.Tests.Topics;

/// <summary>Topic requests a client can get wrong: each is an error for that request, never the end of the connection.</summary>
public sealed class TopicRequestLimitsSpec
{
    [Fact]
    public async Task Subscribe_LoneSurrogateTopic_InvalidParamsAndInFlightCallStillAnswered()
    {
        await using var server = await RpcServer.StartAsync();
        await using var socket = await server.ConnectAsync();
        await socket.SendAsync("""{"jsonrpc":"2.0","method":"sleep","params":[300],"id":"slow"}""");
        await socket.SendAsync("""{"jsonrpc":"2.0","method":"subscribe","params":["\uD800"],"id":2}""");

        var first = await socket.ReceiveJsonAsync();
        Assert.Equal(2, first.GetProperty("id").GetInt32());
        JsonAssert.Error(first, -32602);
        var slow = await socket.ReceiveJsonAsync();
        Assert.Equal(300, JsonAssert.Result(slow).GetInt32());
    }

    [Fact]
    public async Task DeepParams_WithinRaisedDepthLimit_InvalidParamsNotInternalError()
    {
        await using var server = await RpcServer.StartAsync(null, "--ActorRpc:Limits:MaxJsonDepth=200");
        await using var socket = await server.ConnectAsync();
        var deep = new string('[', 80) + new string(']', 80);

        await socket.SendAsync($$"""{"jsonrpc":"2.0","method":"subscribe","params":{{deep}},"id":1}""");
        JsonAssert.Error(await socket.ReceiveJsonAsync(), -32602);
        await socket.SendAsync($$"""{"jsonrpc":"2.0","method":"add","params":[{{deep}},1],"id":2}""");
        JsonAssert.Error(await socket.ReceiveJsonAsync(), -32602);
        Assert.Equal("pong", JsonAssert.Result(await socket.CallAsync("ping")).GetString());
    }

    [Fact]
    public async Task Subscribe_PastMaxSubscriptionsPerSession_InvalidParamsNamingTheSetting()
    {
        await using var server = await RpcServer.StartAsync(
            builder => builder.Services.AddActorRpc().AddTopicPattern("orders.*"),
            "--ActorRpc:Limits:MaxSubscriptionsPerSession=3");
        await using var socket = await server.ConnectAsync();

        JsonAssert.Result(await socket.CallAsync("subscribe", new[] { "orders.1", "orders.2", "orders.3" }));
        var error = JsonAssert.Error(await socket.CallAsync("subscribe", new[] { "orders.4" }), -32602);
        Assert.Contains("MaxSubscriptionsPerSession", error.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal(3, JsonAssert.Result(await socket.CallAsync("get_subscriptions")).GetArrayLength());
    }
}
