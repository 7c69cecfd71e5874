namespace ActorRpc.Tests.Diagnostics;

/// <summary>
/// Metric and trace specs run alone: OpenTelemetry's pipeline and activity listeners see every
/// "ActorRpc" meter and span in the process, so nodes of other specs running meanwhile would add
/// to the counts and gauges these specs assert exactly.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class DiagnosticsCollection
{
    public const string Name = "Diagnostics";
}
