using ActorRpc.Methods.Topics;
using ActorRpc.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace ActorRpc.Tests.Reliability;

/// <summary>
/// Issue 12 (attacker review): one client that fills the node's MaxNodeBufferedBytes with calls of its
/// own must slow the others down, not halt them: a connection holding nothing is still read, and a
/// subscriber that keeps up still gets its notifications instead of a slow-consumer close.
/// </summary>
public sealed class NodeBudgetFairnessSpec
{
    [Fact]
    public async Task OneClientFillsTheNodesBudget_AnotherIsStillAnsweredAndNotified()
    {
        var held = new HeldCalls();
        await using var server = await RpcServer.StartAsync(
            held.Configure,
            "--ActorRpc:Limits:MaxNodeBufferedBytes=1000000",
            "--ActorRpc:Limits:MaxInFlightBytes=1000000",
            "--ActorRpc:Limits:MaxOutboundBytes=1000000",
            "--ActorRpc:Limits:MaxMessageSize=700000");
        await using var other = await server.ConnectAsync();
        Assert.True((await other.CallAsync("subscribe", new[] { "news" })).TryGetProperty("result", out _));

        // Two held calls of 600 KB: within the client's own budget, past the node's.
        await using var hog = await server.ConnectAsync();
        var big = new string('x', 600_000);
        await hog.SendAsync($$$"""{"jsonrpc":"2.0","method":"hold","params":{"tag":"{{{big}}}"},"id":1}""");
        await hog.SendAsync($$$"""{"jsonrpc":"2.0","method":"hold","params":{"tag":"{{{big}}}"},"id":2}""");
        await Eventually.AssertAsync(() => Assert.Equal(2, held.Running));

        for (var i = 0; i < 3; i++)
        {
            await other.SendAsync($$"""{"jsonrpc":"2.0","method":"ping","id":"p{{i}}"}""");
            Assert.Contains($"\"p{i}\"", await other.ReceiveAsync(), StringComparison.Ordinal);
        }

        server.App.Services.GetRequiredService<ITopicPublisher>().Publish("news", new { x = 1 });
        Assert.Contains("\"news\"", await other.ReceiveAsync(), StringComparison.Ordinal);
        held.ReleaseAll();
    }
}
