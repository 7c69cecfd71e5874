using ActorRpc.Tests.Infrastructure;

namespace ActorRpc.Tests.Cluster;

/// <summary>A node that dies abruptly takes nothing down with it.</summary>
public sealed class NodeFailureSpec
{
    [Fact]
    public async Task NodeKilled_Abruptly_OthersKeepServingCallsAndDeliveringNotifies()
    {
        await using var cluster = await ClusterNodes.StartAsync(2);
        var seed = Akka.Cluster.Cluster.Get(ClusterNodes.SystemOf(cluster[0])).SelfAddress.ToString();
        await using var doomed = await NodeProcess.StartAsync($"--Cluster:SeedNodes:0={seed}");
        await cluster.WaitForMembersAsync(3);

        await using var onA = await cluster[0].ConnectAsync();
        await using var onB = await cluster[1].ConnectAsync();
        await using var onDoomed = await RpcTestSocket.ConnectAsync(doomed.WebSocketUri);
        foreach (var socket in new[] { onA, onB })
        {
            await socket.CallAsync("subscribe", new[] { "news" });
        }

        // The doomed node takes part before it dies: its publish reaches A.
        await ClusterFanOutSpec.PublishUntilReceivedAsync(onDoomed, onA, "news", "before");

        doomed.Kill();

        foreach (var (node, socket) in new[] { (cluster[0], onA), (cluster[1], onB) })
        {
            Assert.Equal("pong", JsonAssert.Result(await socket.CallAsync("ping")).GetString());
            Assert.Equal(5, JsonAssert.Result(await socket.CallAsync("add", new[] { 2, 3 })).GetInt32());
        }

        await using var publisher = await cluster[1].ConnectAsync();
        await ClusterFanOutSpec.PublishUntilReceivedAsync(publisher, onA, "news", "after-a");
        await ClusterFanOutSpec.PublishUntilReceivedAsync(publisher, onB, "news", "after-b");
    }
}
