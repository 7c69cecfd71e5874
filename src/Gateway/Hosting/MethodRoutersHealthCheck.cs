using ActorRpc.Actors.Routing;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace ActorRpc.Gateway.Hosting;

/// <summary>Healthy once the actor system is up and every method router is published.</summary>
internal sealed class MethodRoutersHealthCheck(MethodDirectory directory) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(directory.IsReady
            ? HealthCheckResult.Healthy("Method routers are up.")
            : HealthCheckResult.Unhealthy("Method routers are starting."));
}
