using System.Globalization;
using System.Net;
using System.Text;
using ActorRpc.DemoHost;
using ActorRpc.Tests.Infrastructure;

namespace ActorRpc.Tests.DemoHost;

/// <summary>
/// Issue 12: with <c>Management:Port</c> set, the demo node's <c>/metrics</c>, <c>/healthz</c> and
/// <c>/ready</c> answer on that port only, and the public port keeps serving JSON-RPC from the
/// addresses it was given (<c>--urls</c> here, or <c>Kestrel:Endpoints</c>) and answers them 404.
/// </summary>
public sealed class ManagementPortSpec
{
    private static readonly string[] ManagementPaths = ["/healthz", "/ready", "/metrics"];

    [Fact]
    public async Task ManagementPort_WithUrls_HealthAndMetricsThereOnly_PublicPortStillServes()
    {
        var port = LoopbackHost.FreePort();
        await using var node = await DemoNodeOnLoopback.StartAsync($"--Management:Port={port}");

        // Both addresses: the management port was added to --urls, not put in its place.
        Assert.Equal(2, node.Addresses.Count);
        using var management = LoopbackHost.Client(node.Address(port));
        using var client = LoopbackHost.Client(node.AddressOtherThan(port));
        foreach (var path in ManagementPaths)
        {
            Assert.Equal(HttpStatusCode.OK, (await management.GetAsync(path)).StatusCode);
            Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync(path)).StatusCode);
        }

        await using var socket = await RpcTestSocket.ConnectAsync(node.WebSocketUri(node.AddressOtherThan(port)));
        Assert.Equal("pong", JsonAssert.Result(await socket.CallAsync("ping")).GetString());
    }

    [Fact]
    public async Task ManagementPort_PublicClientNamesItInTheHostHeader_StillNotFound()
    {
        var port = LoopbackHost.FreePort();
        await using var node = await DemoNodeOnLoopback.StartAsync($"--Management:Port={port}");
        using var client = LoopbackHost.Client(node.AddressOtherThan(port));

        // The Host header is the client's to choose; the connection's port is not.
        foreach (var path in ManagementPaths)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, path);
            request.Headers.Host = $"127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}";
            Assert.Equal(HttpStatusCode.NotFound, (await client.SendAsync(request)).StatusCode);
        }
    }

    [Fact]
    public async Task ManagementPort_WithKestrelHttpsEndpoint_BothEndpointsServe()
    {
        using var certificates = new TestCertificates();
        using var certificate = certificates.ServerPem();
        var port = LoopbackHost.FreePort();
        await using var node = await DemoNodeOnLoopback.StartAsync([.. certificate.HttpsEndpointSettings(), $"--Management:Port={port}"]);

        Assert.Equal(2, node.Addresses.Count);
        Assert.Equal("http", node.Address(port).Scheme);
        var tlsAddress = node.AddressOtherThan(port);
        Assert.Equal("https", tlsAddress.Scheme);

        using var management = LoopbackHost.Client(node.Address(port));
        using var client = certificate.Client(tlsAddress);
        Assert.Equal(HttpStatusCode.OK, (await management.GetAsync("/ready")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/ready")).StatusCode);
        using var response = await client.PostAsync(
            DemoNode.RpcPath, new StringContent("""{"jsonrpc":"2.0","method":"ping","id":1}""", Encoding.UTF8, "application/json"));
        JsonAssert.Equivalent("""{"jsonrpc":"2.0","id":1,"result":"pong"}""", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task ManagementPort_WithHttpPortsVariable_SameInterfacesBesideThePublicPort()
    {
        // As in the container image (ASPNETCORE_HTTP_PORTS=8080) with the manifests' Management__Port=8081: not started, only configured.
        await using var app = DemoNode.Create(["--http_ports=8080", "--Management:Port=8081"]);
        Assert.Equal("http://*:8080;http://*:8081", app.Configuration["urls"]);
        Assert.True(string.IsNullOrEmpty(app.Configuration["http_ports"]));
    }

    [Fact]
    public async Task ManagementPort_WithKestrelEndpoints_OneMoreEndpointOnTheirHost()
    {
        await using var app = DemoNode.Create(["--Kestrel:Endpoints:Https:Url=https://+:8443", "--Management:Port=8081"]);
        Assert.Equal("http://+:8081", app.Configuration["Kestrel:Endpoints:Management:Url"]);
        Assert.Equal("https://+:8443", app.Configuration["Kestrel:Endpoints:Https:Url"]);
    }

    [Fact]
    public void ManagementPort_SameAsThePublicPort_RefusedNamingTheKey()
    {
        var port = LoopbackHost.FreePort().ToString(CultureInfo.InvariantCulture);
        var error = Assert.Throws<InvalidOperationException>(() =>
            DemoNode.Create(["--urls", $"http://127.0.0.1:{port}", $"--Management:Port={port}"]));
        Assert.Contains("Management:Port", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ManagementPort_NotAPort_RefusedNamingTheKey()
    {
        var error = Assert.Throws<InvalidOperationException>(() => DemoNode.Create([.. LoopbackHost.Args([]), "--Management:Port=70000"]));
        Assert.Contains("Management:Port", error.Message, StringComparison.Ordinal);
    }
}
