using System.Net.WebSockets;
using ActorRpc.Tests.Infrastructure;

namespace ActorRpc.Tests.Gateway;

/// <summary>A connection's beginning and end: the sub-protocol handshake and the close on node shutdown.</summary>
public sealed class WebSocketLifecycleSpec
{
    [Fact]
    public async Task NodeShutdown_OpenConnection_ClosedWithGoingAway()
    {
        var server = await RpcServer.StartAsync();
        await using var socket = await server.ConnectAsync();
        Assert.Equal("pong", JsonAssert.Result(await socket.CallAsync("ping")).GetString());

        var stopping = server.DisposeAsync().AsTask();
        var (status, _) = await socket.ReceiveCloseAsync();
        await stopping;

        Assert.Equal(WebSocketCloseStatus.EndpointUnavailable, status);
    }

    [Theory]
    [InlineData("jsonrpc", "jsonrpc")]
    [InlineData("unknown,jsonrpc-2.0", "jsonrpc-2.0")]
    public async Task Handshake_ClientOffersSubProtocol_KnownOneSelected(string offered, string selected)
    {
        await using var server = await RpcServer.StartAsync();
        using var client = new ClientWebSocket();
        foreach (var protocol in offered.Split(','))
        {
            client.Options.AddSubProtocol(protocol);
        }

        await client.ConnectAsync(server.WebSocketUri, CancellationToken.None).DefaultTimeout();
        Assert.Equal(selected, client.SubProtocol);
        await client.CloseAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None).DefaultTimeout();
    }
}
