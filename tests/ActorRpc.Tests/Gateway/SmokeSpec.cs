using ActorRpc.Tests.Infrastructure;

namespace ActorRpc.Tests.Gateway;

public sealed class SmokeSpec(RpcServerFixture fixture) : IClassFixture<RpcServerFixture>
{
    [Fact]
    public async Task Ping_OverWebSocket_ReturnsPong()
    {
        await using var socket = await fixture.Server.ConnectAsync();
        var response = await socket.CallAsync("ping");
        Assert.Equal("pong", JsonAssert.Result(response).GetString());
    }
}
