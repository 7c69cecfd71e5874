using System.Diagnostics.CodeAnalysis;
using ActorRpc;
using ActorRpc.Actors;
using ActorRpc.Gateway.Endpoints;
using ActorRpc.Gateway.Transport;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;

namespace Microsoft.AspNetCore.Builder;

/// <summary>Maps ActorRpc's endpoints. The library maps nothing the application did not ask for.</summary>
public static class ActorRpcEndpointRouteBuilderExtensions
{
    /// <summary>
    /// Serves JSON-RPC 2.0 on <paramref name="pattern"/>: a WebSocket upgrade (GET) opens a
    /// connection that may call, subscribe and receive notifications; a POST carries one request,
    /// notification or batch and gets its answer (or 204). May be called for more than one path;
    /// every path serves the same methods and topics.
    /// </summary>
    /// <param name="endpoints">The application's endpoints.</param>
    /// <param name="pattern">The route pattern, such as <c>/rpc</c>.</param>
    /// <returns>A builder for conventions on the mapped endpoint (CORS, host, authorization).</returns>
    /// <exception cref="InvalidOperationException"><c>AddActorRpc()</c> was not called.</exception>
    public static ActorRpcEndpointConventionBuilder MapActorRpc(this IEndpointRouteBuilder endpoints, [StringSyntax("Route")] string pattern)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        ArgumentException.ThrowIfNullOrWhiteSpace(pattern);
        RequireServices(endpoints, nameof(MapActorRpc));

        // The endpoint's own small pipeline, as SignalR's MapConnections builds one: the WebSocket
        // middleware runs for ActorRpc's paths only, so the application's other endpoints and its
        // own UseWebSockets (origins, keep-alive) are left exactly as they were.
        var pipeline = endpoints.CreateApplicationBuilder();
        pipeline.Use(ActorRpcUpgradeFeature.WrapAsync);
        pipeline.UseWebSockets();
        pipeline.Run(ActivatorUtilities.CreateInstance<RpcEndpoint>(endpoints.ServiceProvider).HandleAsync);

        var builder = endpoints.MapMethods(pattern, [HttpMethods.Get, HttpMethods.Post], pipeline.Build())
            .WithDisplayName($"ActorRpc {pattern}")
            // A WebSocket lives as long as its client; calls have their own HandlerTimeout.
            .WithMetadata(new Microsoft.AspNetCore.Http.Timeouts.DisableRequestTimeoutAttribute())
            .WithMetadata(ActorRpcEndpointMetadata.Instance);
        return new ActorRpcEndpointConventionBuilder(builder);
    }

    /// <summary>
    /// Maps the node's health endpoints: <paramref name="livenessPattern"/> answers 200 while the
    /// process serves HTTP (restarting a node for a cluster problem would not help), and
    /// <paramref name="readinessPattern"/> 200 only while the node is an Up cluster member with every
    /// method router started and accepts connections (503 otherwise, and from the moment it begins
    /// to shut down). Readiness runs the health checks tagged <see cref="ActorRpcHealthChecks.ReadyTag"/>.
    /// </summary>
    /// <param name="endpoints">The application's endpoints.</param>
    /// <param name="livenessPattern">The liveness path. <b>Default:</b> <c>/healthz</c>.</param>
    /// <param name="readinessPattern">The readiness path. <b>Default:</b> <c>/ready</c>.</param>
    /// <returns>A builder for conventions on both endpoints.</returns>
    public static IEndpointConventionBuilder MapActorRpcHealthChecks(
        this IEndpointRouteBuilder endpoints,
        [StringSyntax("Route")] string livenessPattern = "/healthz",
        [StringSyntax("Route")] string readinessPattern = "/ready")
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        RequireServices(endpoints, nameof(MapActorRpcHealthChecks));

        var group = endpoints.MapGroup(string.Empty);
        group.MapHealthChecks(livenessPattern, new HealthCheckOptions { Predicate = static _ => false });
        group.MapHealthChecks(readinessPattern, new HealthCheckOptions { Predicate = static check => check.Tags.Contains(ActorRpcHealthChecks.ReadyTag) });
        return group;
    }

    private static void RequireServices(IEndpointRouteBuilder endpoints, string caller)
    {
        if (endpoints.ServiceProvider.GetService<ActorRpcServicesMarker>() is null)
        {
            throw new InvalidOperationException(
                $"Unable to find the required services for {caller}. Add them by calling 'builder.Services.AddActorRpc()' before building the application.");
        }
    }
}
