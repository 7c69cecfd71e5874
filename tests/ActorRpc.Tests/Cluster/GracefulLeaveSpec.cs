using System.Net.WebSockets;
using ActorRpc.Tests.Infrastructure;

namespace ActorRpc.Tests.Cluster;

public sealed class GracefulLeaveSpec
{
    [Fact]
    public async Task NodeStops_Gracefully_ClosesItsSocketsWithGoingAwayAndLeavesTheCluster()
    {
        await using var cluster = await ClusterNodes.StartAsync(2);
        await using var staying = await cluster[0].ConnectAsync();
        await using var leaving = await cluster[1].ConnectAsync();
        Assert.Equal("pong", JsonAssert.Result(await leaving.CallAsync("ping")).GetString());

        var stopping = cluster[1].App.StopAsync();
        var (status, _) = await leaving.ReceiveCloseAsync();
        await stopping.DefaultTimeout();

        Assert.Equal(WebSocketCloseStatus.EndpointUnavailable, status);
        await cluster.WaitForMembersAsync(1, among: [cluster[0]]); // it left, it was not merely lost
        Assert.Equal("pong", JsonAssert.Result(await staying.CallAsync("ping")).GetString());
    }
}
