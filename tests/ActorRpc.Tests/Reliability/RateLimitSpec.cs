using ActorRpc.Tests.Infrastructure;

namespace ActorRpc.Tests.Reliability;

/// <summary>
/// Issue 12: ActorRpc:Limits:MessagesPerSecond / MessageBurst over a real server, only what needs
/// one: a connection past its limit is answered -32029 and its socket stays open, while another
/// connection is answered as usual. What the session refuses, drops and counts is in SessionLimitsSpec.
/// </summary>
public sealed class RateLimitSpec
{
    [Fact]
    public async Task PastTheLimit_SocketStaysOpenAndOtherConnectionAnswered()
    {
        await using var server = await RpcServer.StartAsync(null, "--ActorRpc:Limits:MessagesPerSecond=0.01", "--ActorRpc:Limits:MessageBurst=1");
        await using var flooder = await server.ConnectAsync();
        Assert.Equal("pong", (await flooder.CallAsync("ping")).GetProperty("result").GetString());

        // Past the limit, twice: refused each time, never closed.
        Assert.Equal(-32029, (await flooder.CallAsync("ping")).GetProperty("error").GetProperty("code").GetInt32());
        Assert.Equal(-32029, (await flooder.CallAsync("ping")).GetProperty("error").GetProperty("code").GetInt32());

        await using var other = await server.ConnectAsync();
        Assert.Equal("pong", (await other.CallAsync("ping")).GetProperty("result").GetString());
    }
}
