using Akka.Actor;
using ActorRpc.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace ActorRpc.Tests.Cluster;

/// <summary>
/// Real nodes of one Akka.NET cluster in this process, each with its own Kestrel server and actor
/// system, talking over real remoting on loopback (Akka port 0, so runs never collide).
/// </summary>
public sealed class ClusterNodes : IAsyncDisposable
{
    private readonly List<RpcServer> _nodes = [];

    public IReadOnlyList<RpcServer> Nodes => _nodes;

    public RpcServer this[int index] => _nodes[index];

    public static async Task<ClusterNodes> StartAsync(int count, Func<int, Action<WebApplicationBuilder>?>? configure = null, Func<int, string[]>? settings = null)
    {
        var cluster = new ClusterNodes();
        try
        {
            var seed = await RpcServer.StartAsync(configure?.Invoke(0), settings?.Invoke(0) ?? []);
            cluster._nodes.Add(seed);
            var seedAddress = Akka.Cluster.Cluster.Get(SystemOf(seed)).SelfAddress.ToString();
            for (var i = 1; i < count; i++)
            {
                string[] nodeSettings = [$"--Cluster:SeedNodes:0={seedAddress}", .. settings?.Invoke(i) ?? []];
                cluster._nodes.Add(await RpcServer.StartAsync(configure?.Invoke(i), nodeSettings));
            }

            await cluster.WaitForMembersAsync(count);
            return cluster;
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }
    }

    public static ActorSystem SystemOf(RpcServer node) => node.App.Services.GetRequiredService<ActorSystem>();

    /// <summary>Waits until every running node sees <paramref name="count"/> members up.</summary>
    public Task WaitForMembersAsync(int count, IEnumerable<RpcServer>? among = null) => Eventually.AssertAsync(() =>
    {
        foreach (var node in among ?? _nodes)
        {
            var state = Akka.Cluster.Cluster.Get(SystemOf(node)).State;
            Assert.Equal(count, state.Members.Count(m => m.Status == Akka.Cluster.MemberStatus.Up));
        }
    });

    public async ValueTask DisposeAsync()
    {
        foreach (var node in Enumerable.Reverse(_nodes))
        {
            await node.DisposeAsync();
        }
    }
}
