using System.Text.Json;
using ActorRpc.Tests.Infrastructure;

namespace ActorRpc.Tests.Reliability;

/// <summary>
/// Issue 12: ActorRpc:Limits:MessagesPerSecond / MessageBurst, a token bucket per WebSocket, over a
/// real server: a connection past it gets -32029 with data.retryAfterMs and stays open; the others
/// are answered as usual.
/// </summary>
public sealed class RateLimitSpec
{
    [Fact]
    public async Task BatchOfSixPastBurstOfThree_ThreeAnsweredThreeTooManyRequests_SocketOpenOtherConnectionAnswered()
    {
        await using var server = await RpcServer.StartAsync(null, "--ActorRpc:Limits:MessagesPerSecond=0.5", "--ActorRpc:Limits:MessageBurst=3");
        await using var flooder = await server.ConnectAsync();

        await flooder.SendAsync("[" + string.Join(",", Enumerable.Range(1, 6).Select(i => $$"""{"jsonrpc":"2.0","method":"ping","id":{{i}}}""")) + "]");
        using var batch = JsonDocument.Parse(await flooder.ReceiveAsync());
        var replies = batch.RootElement.EnumerateArray().ToList();
        Assert.Equal(3, replies.Count(r => r.TryGetProperty("result", out var result) && result.GetString() == "pong"));
        var limited = replies.Where(r => r.TryGetProperty("error", out _)).Select(r => r.GetProperty("error")).ToList();
        Assert.Equal(3, limited.Count);
        Assert.All(limited, error =>
        {
            Assert.Equal(-32029, error.GetProperty("code").GetInt32());
            Assert.Equal("Too many requests", error.GetProperty("message").GetString());
            Assert.True(error.GetProperty("data").GetProperty("retryAfterMs").GetInt64() > 0);
        });

        // Still open, still limited: the next call is refused the same way, not closed.
        Assert.Equal(-32029, (await flooder.CallAsync("ping")).GetProperty("error").GetProperty("code").GetInt32());

        await using var other = await server.ConnectAsync();
        Assert.Equal("pong", (await other.CallAsync("ping")).GetProperty("result").GetString());
    }
}
