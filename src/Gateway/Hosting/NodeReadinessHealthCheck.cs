using Akka.Actor;
using Akka.Cluster;
using ActorRpc.Actors.Routing;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace ActorRpc.Gateway.Hosting;

/// <summary>
/// Ready when this node is an Up member of its cluster and still accepts connections; what
/// <c>/ready</c> reports (with <see cref="MethodRoutersHealthCheck"/>). A node that is joining,
/// leaving, or shutting down is not ready, so a load balancer sends it no new clients.
/// </summary>
internal sealed class NodeReadinessHealthCheck(NodeReadiness readiness, MethodDirectory directory, IServiceProvider services) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (!readiness.IsAcceptingConnections)
        {
            return Task.FromResult(HealthCheckResult.Unhealthy("The node is shutting down and accepts no new connections."));
        }

        // The routers are published after the actor system started; before that there is no system to ask.
        if (!directory.IsReady)
        {
            return Task.FromResult(HealthCheckResult.Unhealthy("The actor system is starting."));
        }

        var status = Cluster.Get(services.GetRequiredService<ActorSystem>()).SelfMember.Status;
        return Task.FromResult(status == MemberStatus.Up
            ? HealthCheckResult.Healthy("Up in the cluster and accepting connections.")
            : HealthCheckResult.Unhealthy($"Cluster member status is {status}, not Up."));
    }
}
