using ActorRpc.Actors.Diagnostics;

namespace ActorRpc;

/// <summary>
/// The names to give an OpenTelemetry (or any System.Diagnostics) pipeline to collect ActorRpc's
/// metrics and spans: <c>metrics.AddMeter(ActorRpcDiagnostics.MeterName)</c>,
/// <c>tracing.AddSource(ActorRpcDiagnostics.ActivitySourceName)</c>. See docs/observability.md.
/// </summary>
public static class ActorRpcDiagnostics
{
    /// <summary>The meter of every ActorRpc instrument (requests, sessions, notifications, handlers).</summary>
    public const string MeterName = RpcMetrics.MeterName;

    /// <summary>The activity source of ActorRpc's request spans; spans cost nothing while no listener samples them.</summary>
    public const string ActivitySourceName = RpcTracing.SourceName;
}
