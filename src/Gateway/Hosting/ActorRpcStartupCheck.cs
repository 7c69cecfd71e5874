using Akka.Hosting;
using ActorRpc.Actors;
using ActorRpc.Actors.Routing;

namespace ActorRpc.Gateway.Hosting;

/// <summary>
/// Fails start-up, with a message that says what to change, when ActorRpc was wired into the
/// application's actor systems wrongly: a second <c>AddAkka(...)</c> after <c>AddActorRpc()</c> (two
/// systems would each take half the work), or an application actor system without
/// <c>WithActorRpc()</c> (no session could ever start), or a part of <see cref="ActorRpcOptions"/>
/// configured on its own, where ActorRpc would never read it.
/// </summary>
internal sealed class ActorRpcStartupCheck(ActorRpcServicesMarker marker, MethodDirectory directory) : IHostedLifecycleService
{
    // Parts of ActorRpcOptions that an application might try to configure on their own; they are read from ActorRpcOptions only.
    private static readonly Type[] SectionOptions = [typeof(RpcLimitsOptions), typeof(RpcEndpointOptions), typeof(RpcMethodsOptions), typeof(RpcProtocolOptions), typeof(RpcAuthorizationOptions), typeof(RpcDiscoveryOptions)];

    public Task StartingAsync(CancellationToken cancellationToken)
    {
        if (marker.Services.FirstOrDefault(IsSectionConfiguration) is { } misplaced)
        {
            var section = misplaced.ServiceType.GetGenericArguments()[0].Name;
            throw new InvalidOperationException(
                $"{section} is configured on its own (services.Configure<{section}>), which ActorRpc never reads: "
                + "configure it through AddActorRpc(options => ...) or the ActorRpc configuration section.");
        }

        var actorSystems = marker.Services.Count(d => d.ServiceType == typeof(AkkaConfigurationBuilder));
        if (marker.OwnsActorSystem && actorSystems > 1)
        {
            throw new InvalidOperationException(
                "AddAkka(...) was called after AddActorRpc(), which had already added an actor system of its own. "
                + "Call AddAkka(...) first, with .WithActorRpc() in it, and AddActorRpc() after it.");
        }

        return Task.CompletedTask;
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private static bool IsSectionConfiguration(ServiceDescriptor descriptor) =>
        descriptor.ServiceType.IsGenericType
        && (descriptor.ServiceType.GetGenericTypeDefinition() == typeof(Microsoft.Extensions.Options.IConfigureOptions<>)
            || descriptor.ServiceType.GetGenericTypeDefinition() == typeof(Microsoft.Extensions.Options.IPostConfigureOptions<>))
        && SectionOptions.Contains(descriptor.ServiceType.GetGenericArguments()[0]);

    public Task StartedAsync(CancellationToken cancellationToken)
    {
        // Every hosted service has started by now, the actor system's included, and WithActorRpc()
        // returns only once its routers are up.
        if (!directory.IsReady)
        {
            throw new InvalidOperationException(
                "ActorRpc's actors did not start: the application registers its own actor system (AddAkka), "
                + "so add .WithActorRpc() to it, as in AddAkka(\"name\", akka => akka.WithActorRpcCluster(...).WithActorRpc()).");
        }

        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
