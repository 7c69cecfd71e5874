using Akka.Hosting;
using ActorRpc.Actors.Configuration;
using ActorRpc.Actors.Routing;
using ActorRpc.Actors.Sessions;
using ActorRpc.Methods.Definition;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace ActorRpc.Actors;

/// <summary>Marker for the registry entry of the node's method host.</summary>
public sealed class MethodHost;

/// <summary>Marker for the registry entry of the node's session manager.</summary>
public sealed class SessionManager;

/// <summary>Wires ActorRpc's actors into Akka.Hosting.</summary>
public static class ActorRpcHostingExtensions
{
    /// <summary>Registers the services the actors share (the method directory).</summary>
    public static IServiceCollection AddActorRpcActors(this IServiceCollection services)
    {
        services.AddSingleton<MethodDirectory>();
        services.AddOptions<RpcServerOptions>();
        services.AddOptions<RpcLimitsOptions>();
        return services;
    }

    /// <summary>
    /// Starts the method host (one router per method) and the session manager, and waits until
    /// every router is published, so the node takes no call it could not route.
    /// </summary>
    public static AkkaConfigurationBuilder WithActorRpc(this AkkaConfigurationBuilder builder) =>
        builder.WithActors(async (system, registry, resolver) =>
        {
            var catalog = resolver.GetService<RpcMethodCatalog>();
            var directory = resolver.GetService<MethodDirectory>();
            var methodsOptions = resolver.GetService<IOptions<RpcMethodsOptions>>().Value;
            var serverOptions = resolver.GetService<IOptions<RpcServerOptions>>().Value;
            var limits = resolver.GetService<IOptions<RpcLimitsOptions>>().Value;
            var services = resolver.GetService<IServiceProvider>();

            var routerSettings = new RouterSettings(methodsOptions.SerializerOptions, serverOptions.DetailedErrors);
            var host = system.ActorOf(MethodHostActor.Props(catalog, directory, routerSettings), "methods");
            registry.Register<MethodHost>(host);

            var dependencies = new SessionDependencies(directory, limits, methodsOptions.SerializerOptions, services);
            registry.Register<SessionManager>(system.ActorOf(SessionManagerActor.Props(dependencies), "sessions"));

            await directory.WhenReady.WaitAsync(TimeSpan.FromSeconds(30)).ConfigureAwait(false);
        });
}
