using System.Globalization;
using System.Net;
using ActorRpc.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace ActorRpc.Tests.Hosting;

/// <summary>
/// Issue 12: an application keeps ActorRpc's health endpoints off its public port with an endpoint
/// convention on what <c>MapActorRpcHealthChecks</c> returns, such as <c>RequireHost("*:8081")</c>.
/// </summary>
public sealed class HealthChecksOnAPortSpec
{
    [Fact]
    public async Task MapActorRpcHealthChecks_RequireHostWithAPort_AnswersOnThatPortOnly()
    {
        var port = LoopbackHost.FreePort();
        var portText = port.ToString(CultureInfo.InvariantCulture);
        var app = LibraryApp.Build(
            builder => builder.Services.AddActorRpc(),
            web => web.MapActorRpcHealthChecks().RequireHost($"*:{portText}"),
            ["--urls", $"http://127.0.0.1:0;http://127.0.0.1:{portText}"],
            out _);
        var addresses = await LoopbackHost.StartAllAsync(app);
        using var management = LoopbackHost.Client(addresses.Single(address => address.Port == port));
        using var client = LoopbackHost.Client(addresses.Single(address => address.Port != port));
        try
        {
            Assert.Equal(HttpStatusCode.OK, (await management.GetAsync("/healthz")).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await management.GetAsync("/ready")).StatusCode);
            Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/healthz")).StatusCode);
            Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/ready")).StatusCode);
        }
        finally
        {
            await app.StopAsync().DefaultTimeout();
            await app.DisposeAsync();
        }
    }
}
