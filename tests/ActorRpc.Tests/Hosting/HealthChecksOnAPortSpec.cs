using System.Globalization;
using System.Net;
using ActorRpc.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace ActorRpc.Tests.Hosting;

/// <summary>
/// Issue 12: an application keeps ActorRpc's health endpoints off its public port with
/// <c>RequireLocalPort</c> on what <c>MapActorRpcHealthChecks</c> returns: on real Kestrel with two
/// ports, the management port answers and the public port answers 404, whatever <c>Host</c> it is sent.
/// </summary>
public sealed class HealthChecksOnAPortSpec
{
    [Fact]
    public async Task RequireLocalPort_AnswersOnThatPortOnly()
    {
        await using var ports = await TwoPortApp.StartAsync();

        Assert.Equal(HttpStatusCode.OK, (await ports.Management.GetAsync("/healthz")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await ports.Management.GetAsync("/ready")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await ports.Public.GetAsync("/healthz")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await ports.Public.GetAsync("/ready")).StatusCode);
    }

    [Fact]
    public async Task RequireLocalPort_PublicClientNamesTheManagementPortInItsHostHeader_NotFound()
    {
        await using var ports = await TwoPortApp.StartAsync();

        // The Host header is the client's to choose (RequireHost alone matches it); the connection's port is not.
        foreach (var path in new[] { "/healthz", "/ready" })
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, path);
            request.Headers.Host = $"x:{ports.ManagementPort.ToString(CultureInfo.InvariantCulture)}";
            using var response = await ports.Public.SendAsync(request);
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        }
    }

    [Theory]
    [InlineData(new int[0])]
    [InlineData(new[] { 0 })]
    [InlineData(new[] { 8081, 65536 })]
    public async Task RequireLocalPort_NoOrNotAPort_Refused(int[] ports)
    {
        await using var app = LibraryApp.Build(builder => builder.Services.AddActorRpc(), _ => { }, [], out _);
        Assert.Throws<ArgumentException>(() => app.MapActorRpcHealthChecks().RequireLocalPort(ports));
    }

    /// <summary>An application on two loopback ports whose health endpoints require the second one.</summary>
    private sealed class TwoPortApp : IAsyncDisposable
    {
        private readonly WebApplication _app;

        private TwoPortApp(WebApplication app, int managementPort, IReadOnlyList<Uri> addresses)
        {
            _app = app;
            ManagementPort = managementPort;
            Management = LoopbackHost.Client(addresses.Single(address => address.Port == managementPort));
            Public = LoopbackHost.Client(addresses.Single(address => address.Port != managementPort));
        }

        public int ManagementPort { get; }

        public HttpClient Management { get; }

        public HttpClient Public { get; }

        public static async Task<TwoPortApp> StartAsync()
        {
            var port = LoopbackHost.FreePort();
            var portText = port.ToString(CultureInfo.InvariantCulture);
            var app = LibraryApp.Build(
                builder => builder.Services.AddActorRpc(),
                web => web.MapActorRpcHealthChecks().RequireLocalPort(port),
                ["--urls", $"http://127.0.0.1:0;http://127.0.0.1:{portText}"],
                out _);
            return new TwoPortApp(app, port, await LoopbackHost.StartAllAsync(app));
        }

        public async ValueTask DisposeAsync()
        {
            Management.Dispose();
            Public.Dispose();
            await _app.StopAsync().DefaultTimeout();
            await _app.DisposeAsync();
        }
    }
}
