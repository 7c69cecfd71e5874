using System.Net;
using System.Text;
using ActorRpc.Tests.Infrastructure;

namespace ActorRpc.Tests.DemoHost;

/// <summary>
/// Issue 12: the demo node ships <c>AllowedHosts: "*"</c> (so it answers by any name or pod IP), and
/// a configured <c>AllowedHosts</c> overrides it, as the README's Security section says: another
/// <c>Host</c> header gets 400 before anything runs.
/// </summary>
public sealed class AllowedHostsSpec
{
    [Fact]
    public async Task AllowedHosts_Configured_OtherHostHeaderRefusedWith400()
    {
        await using var server = await RpcServer.StartAsync(null, "--AllowedHosts=rpc.example.test");

        using var otherHost = Ping("127.0.0.1");
        Assert.Equal(HttpStatusCode.BadRequest, (await server.Http.SendAsync(otherHost)).StatusCode);

        using var listedHost = Ping("rpc.example.test");
        Assert.Equal(HttpStatusCode.OK, (await server.Http.SendAsync(listedHost)).StatusCode);
    }

    [Fact]
    public async Task AllowedHosts_ShippedDefault_AnyHostServed()
    {
        await using var server = await RpcServer.StartAsync();
        using var anyHost = Ping("10.1.2.3:8080");
        Assert.Equal(HttpStatusCode.OK, (await server.Http.SendAsync(anyHost)).StatusCode);
    }

    private static HttpRequestMessage Ping(string host)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/rpc")
        {
            Content = new StringContent("""{"jsonrpc":"2.0","method":"ping","id":1}""", Encoding.UTF8, "application/json"),
        };
        request.Headers.Host = host;
        return request;
    }
}
