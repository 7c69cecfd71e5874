namespace ActorRpc.DemoHost;

/// <summary>
/// Where the node exposes its metrics, and where it sends traces. Bound from
/// <c>ActorRpc:Observability</c>; see docs/observability.md.
/// </summary>
public sealed class ObservabilityOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "ActorRpc:Observability";

    /// <summary>
    /// The path of the Prometheus scraping endpoint; empty turns the endpoint off.
    /// <b>Default:</b> <c>/metrics</c>.
    /// </summary>
    public string MetricsPath { get; set; } = "/metrics";

    /// <summary>
    /// Whether spans are exported over OTLP. Null decides by the standard environment: export when
    /// <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> (or <c>OTEL_EXPORTER_OTLP_TRACES_ENDPOINT</c>) is set, which
    /// also says where to. <b>Default:</b> null.
    /// </summary>
    public bool? ExportTraces { get; set; }
}
