namespace ActorRpc.Tests.Packaging;

/// <summary>
/// Packing the solution and building apps against the packages takes both cores for a minute or
/// more: it runs alone, after the parallel specs, so it neither starves their servers nor is starved.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class PackagingCollection : ICollectionFixture<PackedPackages>
{
    public const string Name = "Packaging";
}
