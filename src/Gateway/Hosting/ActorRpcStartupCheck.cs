using Akka.Hosting;
using ActorRpc.Actors;
using ActorRpc.Actors.Routing;

namespace ActorRpc.Gateway.Hosting;

/// <summary>
/// Fails start-up, with a message that says what to change, when ActorRpc was wired into the
/// application's actor systems wrongly: a second <c>AddAkka(...)</c> after <c>AddActorRpc()</c> (two
/// systems would each take half the work), or an application actor system without
/// <c>WithActorRpc()</c> (no session could ever start). Also arms <see cref="NodeShutdown"/>.
/// </summary>
internal sealed class ActorRpcStartupCheck(ActorRpcServicesMarker marker, MethodDirectory directory, NodeShutdown shutdown) : IHostedLifecycleService
{
    public Task StartingAsync(CancellationToken cancellationToken)
    {
        _ = shutdown; // Created now, so it hears the host stop even if no endpoint was ever used.
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
