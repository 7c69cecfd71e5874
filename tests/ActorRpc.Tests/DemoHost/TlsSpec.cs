using System.Net;
using System.Net.WebSockets;
using System.Text;
using ActorRpc.DemoHost;
using ActorRpc.Tests.Infrastructure;

namespace ActorRpc.Tests.DemoHost;

/// <summary>
/// Issue 12: clients reach the demo node over TLS (<c>wss://</c>, <c>https://</c>) with nothing
/// but Kestrel configuration: an HTTPS endpoint under <c>Kestrel:Endpoints</c> with a PEM
/// certificate and key, as the README's TLS paragraph shows.
/// </summary>
public sealed class TlsSpec
{
    [Fact]
    public async Task KestrelHttpsEndpoint_PemCertificate_WssAndHttpsServed()
    {
        using var certificates = new TestCertificates();
        using var certificate = certificates.ServerPem();
        await using var node = await DemoNodeOnLoopback.StartAsync(certificate.HttpsEndpointSettings());

        // The configured endpoint replaced the plain --urls address: the node serves TLS only.
        var address = Assert.Single(node.Addresses);
        Assert.Equal("https", address.Scheme);

        await using (var socket = await RpcTestSocket.ConnectAsync(node.WebSocketUri(address), options => options.RemoteCertificateValidationCallback = certificate.Validate))
        {
            Assert.Equal("pong", JsonAssert.Result(await socket.CallAsync("ping")).GetString());
        }

        using var http = certificate.Client(address);
        using var response = await http.PostAsync(
            DemoNode.RpcPath, new StringContent("""{"jsonrpc":"2.0","method":"ping","id":1}""", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        JsonAssert.Equivalent("""{"jsonrpc":"2.0","id":1,"result":"pong"}""", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task KestrelHttpsEndpoint_ClientNotTrustingTheCertificate_NoConnection()
    {
        using var certificates = new TestCertificates();
        using var certificate = certificates.ServerPem();
        await using var node = await DemoNodeOnLoopback.StartAsync(certificate.HttpsEndpointSettings());

        // The default validation: a self-signed certificate no client was told to trust is refused, so TLS is real.
        using var socket = new ClientWebSocket();
        await Assert.ThrowsAsync<WebSocketException>(() => socket.ConnectAsync(node.WebSocketUri(node.Addresses[0]), CancellationToken.None).DefaultTimeout());
    }
}
