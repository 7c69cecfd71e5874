using ActorRpc.DemoHost;
using ActorRpc.Tests.Infrastructure;

namespace ActorRpc.Tests.DemoHost;

/// <summary>
/// Issue 13: the demo node without an <c>Authentication:Schemes:Bearer</c> section (the README's
/// first command) has no authentication: anyone may publish, and what needs a user answers -32010.
/// </summary>
public sealed class DemoAuthenticationOffSpec(RpcServerFixture node) : IClassFixture<RpcServerFixture>
{
    [Fact]
    public async Task Publish_NoAuthenticationConfigured_AnyoneMayPublish()
    {
        await using var socket = await node.Server.ConnectAsync();
        var published = await socket.CallAsync("publish", new { topic = DemoMethods.NewsTopic, data = new { headline = "hi" } });
        Assert.True(JsonAssert.Result(published).GetBoolean());
    }

    [Fact]
    public async Task WhoAmI_NoAuthenticationConfigured_AuthenticationRequired()
    {
        await using var socket = await node.Server.ConnectAsync();
        JsonAssert.Error(await socket.CallAsync("whoami"), (int)JsonRpcErrorCode.AuthenticationRequired);
    }

    [Fact]
    public async Task SubscribeAdmin_NoAuthenticationConfigured_AuthenticationRequired()
    {
        await using var socket = await node.Server.ConnectAsync();
        JsonAssert.Error(await socket.CallAsync("subscribe", new[] { DemoMethods.AdminTopic }), (int)JsonRpcErrorCode.AuthenticationRequired);
    }

    [Fact]
    public async Task TokenCommand_NoSigningKeyConfigured_RefusedWithExitCode2()
    {
        using var output = new StringWriter();
        using var error = new StringWriter();

        Assert.Equal(DemoTokenCommand.Refused, DemoTokenCommand.Run(["--name", "alice"], output, error));
        Assert.Equal("", output.ToString());
        Assert.Contains("No signing key configured", error.ToString(), StringComparison.Ordinal);
        Assert.Contains("--environment Development", error.ToString(), StringComparison.Ordinal);
    }
}
