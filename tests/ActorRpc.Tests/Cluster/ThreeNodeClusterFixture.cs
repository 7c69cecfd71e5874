namespace ActorRpc.Tests.Cluster;

/// <summary>Three clustered nodes shared by the tests of a class.</summary>
public sealed class ThreeNodeClusterFixture : IAsyncLifetime
{
    private ClusterNodes? _cluster;

    public ClusterNodes Cluster => _cluster!;

    public async Task InitializeAsync() => _cluster = await ClusterNodes.StartAsync(3);

    public async Task DisposeAsync() => await _cluster!.DisposeAsync();
}
