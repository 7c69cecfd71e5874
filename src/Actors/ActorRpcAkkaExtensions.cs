using Akka.Actor;
using Akka.Cluster.Hosting;
using Akka.Cluster.Hosting.SBR;
using Akka.Cluster.Tools.PublishSubscribe;
using Akka.Hosting;
using Akka.Remote.Hosting;
using ActorRpc.Methods;
using ActorRpc.Actors;
using ActorRpc.Actors.ClientCalls;
using ActorRpc.Actors.Cluster;
using ActorRpc.Actors.Diagnostics;
using ActorRpc.Actors.Routing;
using ActorRpc.Actors.Sessions;
using ActorRpc.Actors.Topics;
using ActorRpc.Methods.Definition;
using ActorRpc.Methods.Topics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace ActorRpc;

/// <summary>
/// Adds ActorRpc to an Akka.Hosting actor system, for applications that run their own
/// (<c>services.AddAkka(...)</c>): <c>akka.WithActorRpc()</c> starts ActorRpc's actors in it, and
/// <c>akka.WithActorRpcCluster(...)</c> makes it the cluster member ActorRpc's own system is. An
/// application without an actor system of its own needs neither: <c>AddActorRpc()</c> starts one.
/// </summary>
public static class ActorRpcAkkaExtensions
{
    /// <summary>
    /// Starts ActorRpc's actors in this actor system: the topics actor (on Akka.Cluster.Tools
    /// distributed pub/sub, so a notify reaches subscribers on every node), one router per method,
    /// and the session manager. The node takes no call before every router is up. Also registers
    /// ActorRpc's serializer for what crosses the cluster, and a coordinated-shutdown task that
    /// turns the node unready and closes its sockets with 1001 when the system leaves.
    /// </summary>
    /// <remarks>
    /// The actor system must use the cluster provider (<c>WithClustering</c>, or
    /// <see cref="WithActorRpcCluster"/>), and the application must call <c>AddActorRpc()</c> on its
    /// services, which registers the methods and topics this node serves. Call it once per system.
    /// </remarks>
    /// <param name="builder">The actor system's builder.</param>
    /// <returns>The same builder.</returns>
    public static AkkaConfigurationBuilder WithActorRpc(this AkkaConfigurationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder
            .WithDistributedPubSub(role: null!)
            .AddHocon(SessionMailbox.DefaultConfig, HoconAddMode.Append)
            .WithCustomSerializer(
                ClusterMessageSerializer.Id,
                ClusterMessageSerializer.BoundTypes,
                system => new ClusterMessageSerializer(system));

        return builder.WithActors(async (system, registry, resolver) =>
        {
            var services = resolver.GetService<IServiceProvider>();
            var marker = services.GetService<ActorRpcServicesMarker>()
                ?? throw new InvalidOperationException(
                    "WithActorRpc() needs ActorRpc's services: call builder.Services.AddActorRpc() too.");
            marker.ActorSystemStarted(system.Name);

            // Session ids name their node, so IRpcClients on any node can find a session's owner.
            if (system is ExtendedActorSystem { Provider: Akka.Cluster.IClusterActorRefProvider })
            {
                services.GetRequiredService<SessionIds>().NodeStarted(Akka.Cluster.Cluster.Get(system).SelfUniqueAddress.Uid);
            }

            // A shutdown the actor system starts itself (a cluster leave, a downing, the CLR exit hook
            // on SIGTERM) reaches the host only once the system has terminated, too late for sockets
            // to go away cleanly: the node turns unready and closes them at the first phase.
            var shutdown = services.GetServices<INodeShutdownParticipant>().ToArray();
            CoordinatedShutdown.Get(system).AddTask(CoordinatedShutdown.PhaseBeforeServiceUnbind, "actor-rpc-not-ready", () =>
            {
                foreach (var participant in shutdown)
                {
                    participant.BeginShutdown("coordinated shutdown");
                }

                return Task.FromResult(Akka.Done.Instance);
            });

            var options = services.GetRequiredService<IOptions<ActorRpcOptions>>().Value;
            var metrics = services.GetRequiredService<RpcMetrics>();
            var topicCatalog = services.GetRequiredService<TopicCatalog>();
            var patternTopics = services.GetRequiredService<PatternTopicBudget>();
            var topics = system.ActorOf(
                TopicsActor.Props(topicCatalog, DistributedPubSub.Get(system).Mediator, metrics, patternTopics, options.Limits.RetainedPatternTopicTtl),
                ActorNames.Topics);
            registry.Register<TopicsRoot>(topics);

            var directory = services.GetRequiredService<MethodDirectory>();
            var routerSettings = new RouterSettings(
                options.Methods.SerializerOptions, options.DetailedErrors, services, options.Limits.HandlerTimeout, metrics);
            system.ActorOf(
                MethodHostActor.Props(services.GetRequiredService<RpcMethodCatalog>(), directory, routerSettings),
                ActorNames.Methods);

            var dependencies = new SessionDependencies(
                directory,
                options.Limits,
                options.Methods.SerializerOptions,
                services,
                topicCatalog,
                topics,
                metrics,
                options.Protocol.Compatibility,
                patternTopics,
                services.GetRequiredService<NodeHandlers>(),
                services.GetRequiredService<ActorRpc.Methods.Authorization.RpcAuthorizer>(),
                services.GetService<ISessionAuthenticator>() ?? NoSessionAuthenticator.Instance,
                services.GetService<TimeProvider>() ?? TimeProvider.System);
            registry.Register<SessionManager>(system.ActorOf(SessionManagerActor.Props(dependencies), ActorNames.Sessions));

            await directory.WhenReady.WaitAsync(TimeSpan.FromSeconds(30)).ConfigureAwait(false);
        });
    }

    /// <summary>
    /// Makes the actor system the cluster member ActorRpc's own system is: remoting on
    /// <see cref="ClusterNodeOptions.Hostname"/>:<see cref="ClusterNodeOptions.Port"/>, clustering
    /// with the keep-majority split-brain resolver, its seed nodes and roles, and its scheduler tick.
    /// With no seed nodes the node joins itself and is a one-node cluster at once. With
    /// <see cref="ClusterNodeOptions.Tls"/> set, nodes talk TLS with mutual authentication, and a
    /// node without a trusted certificate cannot join. Akka's type-name JSON serializer for
    /// <see cref="object"/> is turned off: only ActorRpc's messages and Akka's own cross the wire.
    /// </summary>
    /// <param name="builder">The actor system's builder.</param>
    /// <param name="cluster">Where this node listens and how it finds the others (the <c>Cluster</c> configuration section).</param>
    /// <returns>The same builder.</returns>
    public static AkkaConfigurationBuilder WithActorRpcCluster(this AkkaConfigurationBuilder builder, ClusterNodeOptions cluster)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(cluster);
        builder
            .WithRemoting(RemoteOptionsFor(cluster))
            .WithClustering(new ClusterOptions
            {
                SeedNodes = cluster.SeedNodes.Count > 0 ? [.. cluster.SeedNodes] : null,
                Roles = cluster.Roles.Count > 0 ? [.. cluster.Roles] : null,
                SplitBrainResolver = new KeepMajorityOption(),
            })
            .AddHocon(SchedulerConfig(cluster.SchedulerTick), HoconAddMode.Prepend)
            // Nothing of ours needs Akka's type-name JSON fallback for System.Object, and whoever
            // reaches the remoting port could use it to build types of their choosing: refused both ways.
            .AddHocon(RefusingObjectSerializer.Config, HoconAddMode.Prepend);

        if (cluster.SeedNodes.Count == 0)
        {
            // No seeds: this node is the whole cluster (the README's single-node command).
            builder.WithActors(async (system, _) =>
            {
                var self = Akka.Cluster.Cluster.Get(system);
                await self.JoinAsync(self.SelfAddress).ConfigureAwait(false);
            });
        }

        return builder;
    }

    /// <summary>Registers the services ActorRpc's actors share (the method directory, the topic publisher, the metrics).</summary>
    internal static IServiceCollection AddActorRpcActors(this IServiceCollection services)
    {
        BuilderRegistrations.Methods(services);
        BuilderRegistrations.Topics(services);
        services.AddSingleton<MethodDirectory>();
        services.AddMetrics();
        services.AddSingleton(sp => new RpcMetrics(
            sp.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>(),
            sp.GetRequiredService<RpcMethodCatalog>().Names,
            sp.GetRequiredService<TopicCatalog>()));
        services.AddSingleton<ITopicPublisher, TopicPublisher>();
        services.AddSingleton<SessionIds>();
        services.AddSingleton<IRpcClients>(sp => new RpcClients(sp));
        // The node-wide counts (issue #12): one per node, shared by every session and the gateway.
        services.AddSingleton(sp => new NodeHandlers(sp.GetRequiredService<IOptions<ActorRpcOptions>>().Value.Limits.MaxNodeHandlers));
        services.AddSingleton(sp => new PatternTopicBudget(sp.GetRequiredService<IOptions<ActorRpcOptions>>().Value.Limits.MaxPatternTopics));
        return services;
    }

    // Plain akka.tcp, or TLS both ways: each end presents its certificate and checks the other's
    // against the roots of its own PKCS#12 file (ClusterTlsTrust), since anyone who reaches the
    // remoting port could otherwise join (the system name is no secret) and read or inject traffic.
    private static RemoteOptions RemoteOptionsFor(ClusterNodeOptions cluster)
    {
        // Answers and calls to clients cross as one message each; Akka's 128,000-byte default frame
        // would silently drop any larger one (ClusterNodeOptions.MaxFrameSize).
        var remote = new RemoteOptions { HostName = cluster.Hostname, Port = cluster.Port, MaxFrameSize = cluster.MaxFrameSize };
        if (!ClusterTlsTrust.IsConfigured(cluster.Tls))
        {
            return remote;
        }

        var trust = ClusterTlsTrust.Load(cluster.Tls);
        remote.EnableSsl = true;
        remote.Ssl = new SslOptions
        {
            X509Certificate = trust.Certificate,
            RequireMutualAuthentication = true,
            SuppressValidation = false,
            ValidateCertificateHostname = false,
            CustomValidator = trust.Validate,
        };
        return remote;
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
