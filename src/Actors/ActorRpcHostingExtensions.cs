using Akka.Cluster.Hosting;
using Akka.Cluster.Hosting.SBR;
using Akka.Cluster.Tools.PublishSubscribe;
using Akka.Hosting;
using Akka.Remote.Hosting;
using ActorRpc.Actors.Topics;
using ActorRpc.Methods.Topics;
using Microsoft.Extensions.DependencyInjection.Extensions;
using ActorRpc.Actors.Cluster;
using ActorRpc.Actors.Configuration;
using ActorRpc.Actors.Diagnostics;
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
    /// <summary>Registers the services the actors share (the method directory, the topic publisher, the metrics).</summary>
    public static IServiceCollection AddActorRpcActors(this IServiceCollection services)
    {
        services.AddSingleton<MethodDirectory>();
        services.TryAddSingleton(TopicCatalog.Empty);
        services.AddMetrics();
        services.AddSingleton(sp => new RpcMetrics(
            sp.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>(),
            sp.GetRequiredService<RpcMethodCatalog>().Names,
            sp.GetRequiredService<TopicCatalog>()));
        services.AddSingleton<ITopicPublisher, TopicPublisher>();
        services.AddOptions<ClusterNodeOptions>();
        services.AddOptions<RpcServerOptions>();
        services.AddOptions<RpcLimitsOptions>();
        return services;
    }

    /// <summary>
    /// Makes the node a cluster member (remoting, clustering with the keep-majority split-brain
    /// resolver, distributed pub/sub, our serializer for what crosses it), then starts the topics
    /// actor, the method host (one router per method) and the session manager, and waits until every
    /// router is published, so the node takes no call it could not route.
    /// </summary>
    public static AkkaConfigurationBuilder WithActorRpc(this AkkaConfigurationBuilder builder, ClusterNodeOptions cluster)
    {
        builder
            .WithRemoting(cluster.Hostname, cluster.Port)
            .WithClustering(new ClusterOptions
            {
                SeedNodes = cluster.SeedNodes.Count > 0 ? [.. cluster.SeedNodes] : null,
                Roles = cluster.Roles.Count > 0 ? [.. cluster.Roles] : null,
                SplitBrainResolver = new KeepMajorityOption(),
            })
            .WithDistributedPubSub(role: null!)
            .AddHocon(SessionMailbox.DefaultConfig, HoconAddMode.Append)
            .AddHocon(SchedulerConfig(cluster.SchedulerTick), HoconAddMode.Prepend)
            .WithCustomSerializer(
                ClusterMessageSerializer.Id,
                ClusterMessageSerializer.BoundTypes,
                system => new ClusterMessageSerializer(system));

        return builder.WithActors(async (system, registry, resolver) =>
        {
            if (cluster.SeedNodes.Count == 0)
            {
                // No seeds: this node is the whole cluster (the README's single-node command).
                var self = Akka.Cluster.Cluster.Get(system);
                await self.JoinAsync(self.SelfAddress).ConfigureAwait(false);
            }

            var metrics = resolver.GetService<RpcMetrics>();
            var topics = system.ActorOf(
                TopicsActor.Props(
                    resolver.GetService<TopicCatalog>(),
                    DistributedPubSub.Get(system).Mediator,
                    resolver.GetService<IOptions<RpcMethodsOptions>>().Value.SerializerOptions,
                    metrics),
                "topics");
            registry.Register<TopicsRoot>(topics);

            var catalog = resolver.GetService<RpcMethodCatalog>();
            var directory = resolver.GetService<MethodDirectory>();
            var methodsOptions = resolver.GetService<IOptions<RpcMethodsOptions>>().Value;
            var serverOptions = resolver.GetService<IOptions<RpcServerOptions>>().Value;
            var limits = resolver.GetService<IOptions<RpcLimitsOptions>>().Value;
            var services = resolver.GetService<IServiceProvider>();

            var routerSettings = new RouterSettings(methodsOptions.SerializerOptions, serverOptions.DetailedErrors, services, limits.HandlerTimeout, metrics);
            var host = system.ActorOf(MethodHostActor.Props(catalog, directory, routerSettings), "methods");
            registry.Register<MethodHost>(host);

            var dependencies = new SessionDependencies(
                directory, limits, methodsOptions.SerializerOptions, services, resolver.GetService<TopicCatalog>(), topics, metrics);
            registry.Register<SessionManager>(system.ActorOf(SessionManagerActor.Props(dependencies), "sessions"));

            await directory.WhenReady.WaitAsync(TimeSpan.FromSeconds(30)).ConfigureAwait(false);
        });
    }

    // Akka.Hosting has no typed setting for the scheduler; this is its one HOCON line.
    private static string SchedulerConfig(TimeSpan tick)
    {
        if (tick < TimeSpan.FromMilliseconds(1) || tick > TimeSpan.FromSeconds(1))
        {
            throw new ArgumentOutOfRangeException(nameof(tick), tick, "Cluster:SchedulerTick must be between 1 ms and 1 s.");
        }

        return FormattableString.Invariant($"akka.scheduler.tick-duration = {(long)tick.TotalMilliseconds}ms");
    }
}
