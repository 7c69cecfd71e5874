using ActorRpc.Testing;
using ActorRpc.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace ActorRpc.Tests.Discovery;

/// <summary><c>ActorRpc:Discovery</c>: off, <c>rpc.discover</c> does not exist; its info is validated and code overrides configuration.</summary>
public sealed class DiscoveryOptionsSpec
{
    [Fact]
    public async Task Discover_Disabled_MethodNotFoundAndNotListed()
    {
        await using var app = await ActorRpcTestServer.StartAsync(
            rpc => rpc.AddMethod("ping", () => "pong"),
            options => options.Settings["ActorRpc:Discovery:Enabled"] = "false");
        await using var socket = await RpcTestSocket.ConnectAsync(app.Url);

        JsonAssert.Error(await socket.CallAsync("rpc.discover"), (int)JsonRpcErrorCode.MethodNotFound);
        var listed = JsonAssert.Result(await socket.CallAsync("get_methods")).EnumerateArray().Select(e => e.GetString()).ToList();
        Assert.Contains("ping", listed);
        Assert.DoesNotContain("rpc.discover", listed);
    }

    [Fact]
    public async Task RegisterRpcDiscover_Refused()
    {
        var error = await Assert.ThrowsAnyAsync<Exception>(() => ActorRpcTestServer.StartAsync(rpc => rpc.AddMethod("rpc.discover", () => "mine")));
        Assert.Contains("'rpc.discover' cannot be registered: JSON-RPC 2.0 reserves", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task DiscoveryInfo_SetInCode_WinsOverConfiguration()
    {
        await using var server = await RpcServer.StartAsync(
            builder => builder.Services.AddActorRpc(options => options.Discovery.Title = "From code"),
            "--ActorRpc:Discovery:Title=From configuration",
            "--ActorRpc:Discovery:Version=3.1.4");
        await using var socket = await server.ConnectAsync();

        var info = JsonAssert.Result(await socket.CallAsync("rpc.discover")).GetProperty("info");
        JsonAssert.Equivalent("""{"title":"From code","version":"3.1.4"}""", info.GetRawText());
    }

    [Fact]
    public async Task DiscoveryVersion_Blank_FailsAtStartupNamingIt()
    {
        var error = await Assert.ThrowsAsync<OptionsValidationException>(
            () => RpcServer.StartAsync(builder => builder.Services.AddActorRpc(options => options.Discovery.Version = " ")));
        Assert.Contains("ActorRpc:Discovery:Version", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DiscoveryTitle_Blank_FailsAtStartupNamingIt()
    {
        var error = await Assert.ThrowsAsync<OptionsValidationException>(
            () => RpcServer.StartAsync(builder => builder.Services.AddActorRpc(options => options.Discovery.Title = "")));
        Assert.Contains("ActorRpc:Discovery:Title", error.Message, StringComparison.Ordinal);
    }
}
