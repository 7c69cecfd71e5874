namespace ActorRpc.Tests.Reliability;

/// <summary>
/// Specs that measure the process (its managed heap, other clients' latency) or do as much as
/// a wall-clock budget allows (the fuzz run) run alone: the servers of specs running alongside
/// share the heap and the two cores, and would be measured too or starve them.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class MeasuringCollection
{
    public const string Name = "Measuring";
}
