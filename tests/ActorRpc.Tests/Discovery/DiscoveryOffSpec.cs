using ActorRpc.Testing;
using ActorRpc.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace ActorRpc.Tests.Discovery;

/// <summary><c>ActorRpc:Discovery:Enabled=false</c>: <c>rpc.discover</c> does not exist.</summary>
public sealed class DiscoveryOffSpec
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
        Assert.Contains("'rpc.discover' is a built-in method", error.ToString(), StringComparison.Ordinal);
    }
}
