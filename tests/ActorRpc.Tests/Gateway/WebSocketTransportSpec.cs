namespace ActorRpc.Tests.Gateway;

/// <summary><see cref="RpcTransportSpec"/> over a WebSocket: one fresh connection per exchange.</summary>
public sealed class WebSocketTransportSpec(SpecServerFixture fixture) : RpcTransportSpec(fixture)
{
    protected override async Task<string?> ExchangeAsync(string message, bool expectResponse)
    {
        await using var socket = await Server.ConnectAsync();
        await socket.SendAsync(message);
        if (expectResponse)
        {
            return await socket.ReceiveAsync();
        }

        // A request sent after the message proves, when its answer is the first thing to come back,
        // that the message got no response (a session handles a connection's messages in order).
        await socket.SendAsync("""{"jsonrpc":"2.0","method":"ping","id":"after"}""");
        var next = await socket.ReceiveJsonAsync();
        Assert.Equal("after", next.GetProperty("id").GetString());
        return null;
    }
}
