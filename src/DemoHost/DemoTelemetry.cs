using Microsoft.Extensions.Options;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace ActorRpc.DemoHost;

/// <summary>
/// The demo node's OpenTelemetry pipeline, as an application would set up its own: ActorRpc's meter (and ASP.NET Core's own) scraped in
/// Prometheus format, and, when an OTLP endpoint is configured, ActorRpc's spans and the HTTP
/// requests that carry them exported over OTLP. Tracing is off otherwise, so spans cost nothing.
/// </summary>
internal static class DemoTelemetry
{
    /// <summary>The service name on exported telemetry unless <c>OTEL_SERVICE_NAME</c> says otherwise.</summary>
    public const string ServiceName = "actor-rpc";

    public static void AddDemoTelemetry(this WebApplicationBuilder builder)
    {
        var configuration = builder.Configuration;
        var section = configuration.GetSection(ObservabilityOptions.SectionName);
        builder.Services.AddOptions<ObservabilityOptions>().Bind(section);
        var options = section.Get<ObservabilityOptions>() ?? new ObservabilityOptions();

        var telemetry = builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource =>
            {
                // The environment's detector already read OTEL_SERVICE_NAME; a name set here would override it.
                if (string.IsNullOrEmpty(configuration["OTEL_SERVICE_NAME"]))
                {
                    resource.AddService(ServiceName);
                }
            })
            .WithMetrics(metrics => metrics
                .AddMeter(ActorRpcDiagnostics.MeterName)
                .AddMeter("Microsoft.AspNetCore.Hosting", "Microsoft.AspNetCore.Server.Kestrel")
                .AddPrometheusExporter());

        var exportTraces = options.ExportTraces
            ?? (!string.IsNullOrEmpty(configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]) || !string.IsNullOrEmpty(configuration["OTEL_EXPORTER_OTLP_TRACES_ENDPOINT"]));
        if (exportTraces)
        {
            telemetry.WithTracing(tracing => tracing
                .AddSource(ActorRpcDiagnostics.ActivitySourceName)
                .AddAspNetCoreInstrumentation(aspNetCore => aspNetCore.Filter = context => IsTraced(context, options))
                .AddOtlpExporter());
        }
    }

    /// <summary>Maps the scraping endpoint; null when <see cref="ObservabilityOptions.MetricsPath"/> turns it off.</summary>
    public static IEndpointConventionBuilder? MapDemoMetrics(this WebApplication app)
    {
        var path = app.Services.GetRequiredService<IOptions<ObservabilityOptions>>().Value.MetricsPath;
        return string.IsNullOrEmpty(path) ? null : app.MapPrometheusScrapingEndpoint(path);
    }

    // Probes and scrapes arrive every few seconds and say nothing about clients: keep them out of traces.
    private static bool IsTraced(HttpContext context, ObservabilityOptions options) =>
        !(context.Request.Path.StartsWithSegments("/healthz")
          || context.Request.Path.StartsWithSegments("/ready")
          || (!string.IsNullOrEmpty(options.MetricsPath) && context.Request.Path.StartsWithSegments(options.MetricsPath)));
}
