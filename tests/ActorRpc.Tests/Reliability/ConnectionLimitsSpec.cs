using System.Net;
using System.Net.WebSockets;
using ActorRpc.Tests.Infrastructure;

namespace ActorRpc.Tests.Reliability;

/// <summary>MaxConnections refuses upgrades with 503 before the handshake; IdleTimeout closes quiet sockets with 1000.</summary>
public sealed class ConnectionLimitsSpec
{
    [Fact]
    public async Task MaxConnections_Reached_UpgradeRefusedWith503UntilOneCloses()
    {
        await using var server = await RpcServer.StartAsync(null, "--ActorRpc:Endpoint:MaxConnections=2");
        var first = await server.ConnectAsync();
        await using var second = await server.ConnectAsync();

        using var refused = new ClientWebSocket();
        refused.Options.CollectHttpResponseDetails = true;
        await Assert.ThrowsAsync<WebSocketException>(() => refused.ConnectAsync(server.WebSocketUri, CancellationToken.None).DefaultTimeout());
        Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.HttpStatusCode);
        Assert.Equal("pong", (await second.CallAsync("ping")).GetProperty("result").GetString()); // the held ones are unaffected

        await first.Socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "bye", CancellationToken.None).DefaultTimeout();
        await first.DisposeAsync();
        await Eventually.AssertAsync(async () =>
        {
            using var again = new ClientWebSocket();
            try
            {
                await again.ConnectAsync(server.WebSocketUri, CancellationToken.None).DefaultTimeout();
            }
            catch (WebSocketException ex)
            {
                throw new Xunit.Sdk.XunitException($"still refused: {ex.Message}");
            }

            Assert.Equal(WebSocketState.Open, again.State);
            again.Abort();
        });
    }

    [Fact]
    public async Task IdleTimeout_NoMessages_ClosedWithNormalClosureWhileABusySocketStays()
    {
        await using var server = await RpcServer.StartAsync(null, "--ActorRpc:Endpoint:IdleTimeout=00:00:00.500");
        await using var idle = await server.ConnectAsync();
        await using var busy = await server.ConnectAsync();

        var closed = idle.ReceiveCloseAsync();
        while (!closed.IsCompleted)
        {
            Assert.Equal("pong", (await busy.CallAsync("ping")).GetProperty("result").GetString());
            await Task.WhenAny(closed, Task.Delay(100));
        }

        var (status, description) = await closed.DefaultTimeout();
        Assert.Equal(WebSocketCloseStatus.NormalClosure, status);
        Assert.Contains("Idle timeout", description, StringComparison.Ordinal);
        Assert.Equal("pong", (await busy.CallAsync("ping")).GetProperty("result").GetString());
    }
}
