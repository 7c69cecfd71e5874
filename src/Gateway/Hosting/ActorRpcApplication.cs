using System.Net.WebSockets;
using Akka;
using Akka.Actor;
using Akka.Hosting;
using ActorRpc.Actors;
using ActorRpc.Actors.Configuration;
using ActorRpc.Gateway.Configuration;
using ActorRpc.Gateway.Endpoints;
using ActorRpc.Gateway.Logging;
using ActorRpc.Gateway.Transport;
using ActorRpc.Methods.Definition;
using ActorRpc.Methods.Demo;
using ActorRpc.Methods.Topics;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace ActorRpc.Gateway.Hosting;

/// <summary>Builds the ActorRpc node: configuration, actor system, endpoints. Program.cs and the tests both start here.</summary>
public static class ActorRpcApplication
{
    /// <summary>Where a node listens when neither <c>--urls</c>, <c>ASPNETCORE_URLS</c> nor Kestrel endpoints say otherwise.</summary>
    public const string DefaultUrl = "http://127.0.0.1:5000";

    /// <summary>The actor system's name; the same on every node of a cluster.</summary>
    public const string ActorSystemName = "actor-rpc";

    /// <summary>
    /// Creates the node. <paramref name="configure"/> runs after the defaults, so it can add methods
    /// (<see cref="RpcMethodsServiceCollectionExtensions.AddRpcMethods"/>) or replace configuration.
    /// </summary>
    public static WebApplication Create(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            Args = args,

            // appsettings.json ships next to the binary, so the node reads it whatever the working directory.
            ContentRootPath = AppContext.BaseDirectory,
        });

        // Only when nothing chose an address: --urls, ASPNETCORE_URLS, the container images' ASPNETCORE_HTTP_PORTS, or Kestrel endpoints.
        var configuration = builder.Configuration;
        if (string.IsNullOrEmpty(configuration["urls"])
            && string.IsNullOrEmpty(configuration["http_ports"])
            && string.IsNullOrEmpty(configuration["https_ports"])
            && !configuration.GetSection("Kestrel:Endpoints").Exists())
        {
            builder.WebHost.UseUrls(DefaultUrl);
        }

        AddActorRpc(builder);
        ActorRpcTelemetry.AddActorRpcTelemetry(builder);
        builder.Services.AddRpcMethods(methods => methods.AddMethods<DemoMethods>());
        builder.Services.AddRpcTopics(topics => topics.AddTopic(DemoMethods.NewsTopic).AddTopic(DemoMethods.ClockTopic));
        configure?.Invoke(builder);

        var app = builder.Build();
        MapActorRpc(app);
        return app;
    }

    private static void AddActorRpc(WebApplicationBuilder builder)
    {
        var services = builder.Services;
        var configuration = builder.Configuration;
        services.AddOptions<RpcServerOptions>().Bind(configuration.GetSection(RpcServerOptions.SectionName)).ValidateOnStart();
        services.AddOptions<RpcLimitsOptions>().Bind(configuration.GetSection(RpcLimitsOptions.SectionName)).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<RpcEndpointOptions>().Bind(configuration.GetSection(RpcEndpointOptions.SectionName)).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<RpcMethodsOptions>().Bind(configuration.GetSection(RpcMethodsOptions.SectionName));
        services.AddOptions<ClusterNodeOptions>().Bind(configuration.GetSection(ClusterNodeOptions.SectionName));

        services.AddActorRpcActors();
        services.AddSingleton<ConnectionRegistry>();
        services.AddHostedService<IdleConnectionSweeper>();
        services.AddSingleton<NodeReadiness>();
        services.AddHealthChecks()
            .AddCheck<MethodRoutersHealthCheck>("method-routers", tags: [NodeReadiness.ReadyTag])
            .AddCheck<NodeReadinessHealthCheck>("cluster-member", tags: [NodeReadiness.ReadyTag]);

        var allowedOrigins = configuration.GetSection(RpcEndpointOptions.SectionName + ":AllowedOrigins").Get<string[]>() ?? [];
        services.AddCors(cors => cors.AddPolicy(RpcEndpoints.CorsPolicy, policy =>
        {
            _ = allowedOrigins.Length == 0 ? policy.AllowAnyOrigin() : policy.WithOrigins(allowedOrigins);
            policy.WithMethods("POST").WithHeaders("Content-Type");
        }));

        services.AddAkka(ActorSystemName, (akka, provider) =>
        {
            akka.ConfigureLoggers(loggers =>
            {
                loggers.ClearLoggers();
                loggers.AddLoggerFactory();
            });
            akka.WithActorRpc(provider.GetRequiredService<IOptions<ClusterNodeOptions>>().Value);

            // A shutdown the actor system starts itself (a cluster leave, a downing, the CLR exit hook
            // on SIGTERM) reaches the host only once the system has terminated, too late for sockets
            // to go away cleanly: the node turns unready and closes them at its first phase.
            akka.AddStartup((system, _) => CoordinatedShutdown.Get(system).AddTask(
                CoordinatedShutdown.PhaseBeforeServiceUnbind,
                "actor-rpc-not-ready",
                () =>
                {
                    BeginShutdown(provider, "coordinated shutdown");
                    return Task.FromResult(Done.Instance);
                }));
            akka.WithActors((system, _, resolver) =>
                system.ActorOf(ClockTickerActor.Props(resolver.GetService<ITopicPublisher>(), TimeSpan.FromSeconds(1)), "clock-ticker"));
        });
    }

    private static void MapActorRpc(WebApplication app)
    {
        var endpoint = app.Services.GetRequiredService<IOptions<RpcEndpointOptions>>().Value;
        var webSockets = new WebSocketOptions { KeepAliveInterval = endpoint.KeepAliveInterval };
        foreach (var origin in endpoint.AllowedOrigins)
        {
            webSockets.AllowedOrigins.Add(origin);
        }

        app.UseWebSockets(webSockets);
        app.UseCors();

        // Liveness says only that the process serves HTTP: restarting a node for a cluster problem would not help.
        app.MapHealthChecks("/healthz", new HealthCheckOptions { Predicate = static _ => false });
        app.MapHealthChecks("/ready", new HealthCheckOptions { Predicate = static check => check.Tags.Contains(NodeReadiness.ReadyTag) });
        ActorRpcTelemetry.MapActorRpcTelemetry(app);
        app.MapRpcEndpoints();

        // Sockets are closed with 1001 before the server drains requests; otherwise every open
        // WebSocket would hold shutdown for the whole host shutdown timeout.
        app.Lifetime.ApplicationStopping.Register(() => BeginShutdown(app.Services, "the host is stopping"));
    }

    /// <summary>
    /// The node's first step out, whichever side starts it: readiness goes first, so /ready fails
    /// before any client is told to reconnect (and perhaps picks this node again); then every
    /// WebSocket is closed with 1001 Going Away. Only the first call acts.
    /// </summary>
    private static void BeginShutdown(IServiceProvider services, string reason)
    {
        if (!services.GetRequiredService<NodeReadiness>().StopAccepting(reason))
        {
            return;
        }

        var connections = services.GetRequiredService<ConnectionRegistry>();
        var logger = services.GetRequiredService<ILoggerFactory>().CreateLogger("ActorRpc.Gateway");
        GatewayLog.NotReady(logger, reason);
        GatewayLog.ClosingAll(logger, connections.Count);
        connections.CloseAll(WebSocketCloseStatus.EndpointUnavailable, "Server shutting down");
    }
}
