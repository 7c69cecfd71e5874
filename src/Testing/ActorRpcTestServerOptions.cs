using Akka.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace ActorRpc.Testing;

/// <summary>
/// How <see cref="ActorRpcTestServer.StartAsync"/> builds its node, beyond the methods and topics the
/// test registers. Everything is optional: the defaults give an isolated node with nothing but those.
/// </summary>
public sealed class ActorRpcTestServerOptions
{
    /// <summary>The path <c>MapActorRpc</c> serves (WebSocket and POST). <b>Default:</b> <c>/rpc</c>.</summary>
    public string Path { get; set; } = "/rpc";

    /// <summary>
    /// The loopback port Kestrel listens on: 0 for a free one, or a fixed one, such as the port of a
    /// server the test stopped, to start it again where its clients reconnect. <b>Default:</b> 0.
    /// </summary>
    public int Port { get; set; }

    /// <summary>
    /// Configuration settings, by their full key (<c>["ActorRpc:Limits:HandlerTimeout"] = "00:00:01"</c>,
    /// <c>["ActorRpc:Endpoint:AllowedOrigins:0"] = "https://app.example"</c>). They win over every other
    /// source: appsettings.json, environment variables and the server's own defaults
    /// (<c>urls</c>, <c>Cluster:Hostname</c>, <c>Cluster:Port</c>), which a test may therefore override.
    /// <b>Default:</b> none.
    /// </summary>
    public IDictionary<string, string?> Settings { get; } = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// The host environment's name (<see cref="IHostEnvironment.EnvironmentName"/>).
    /// <b>Default:</b> <see cref="Environments.Production"/>, so the server runs as a deployed one does.
    /// </summary>
    public string EnvironmentName { get; set; } = Environments.Production;

    /// <summary>
    /// The name of the server's actor system. Each server has an actor system of its own, and a
    /// cluster member only joins seeds of the same name, so the default (unique in the process,
    /// <c>actor-rpc-test-N</c>) keeps a test server from ever joining another. Give several servers one
    /// name, with <c>Cluster:SeedNodes</c> in <see cref="Settings"/>, to make them a cluster.
    /// <b>Default:</b> null (a unique name).
    /// </summary>
    public string? ActorSystemName { get; set; }

    /// <summary>
    /// The lowest level <see cref="ActorRpcTestServer.Logs"/> keeps. Below Information it also lifts
    /// the configured <c>Logging:LogLevel</c> filters for that capture. <b>Default:</b> <see cref="LogLevel.Information"/>.
    /// </summary>
    public LogLevel LogLevel { get; set; } = LogLevel.Information;

    /// <summary>
    /// Changes the logging set-up after the server replaced the providers with its capture (nothing is
    /// written to the console): add a provider that writes to the test's output, for instance.
    /// <b>Default:</b> null.
    /// </summary>
    public Action<ILoggingBuilder>? ConfigureLogging { get; set; }

    /// <summary>
    /// Changes the application builder before ActorRpc is added, as an application registers its own
    /// services first: services (authentication, authorization, the test's own), configuration,
    /// Kestrel. It may call <c>AddActorRpc(o => ...)</c> to change ActorRpc's options in code. It must
    /// not call <c>AddAkka</c>: the server's actor system is already registered, so use
    /// <see cref="ConfigureAkka"/> instead. <b>Default:</b> null.
    /// </summary>
    public Action<WebApplicationBuilder>? ConfigureBuilder { get; set; }

    /// <summary>
    /// Adds to the server's actor system (actors, registry entries, startup tasks), inside its
    /// <c>AddAkka</c>, after ActorRpc's own actors. <b>Default:</b> null.
    /// </summary>
    public Action<AkkaConfigurationBuilder, IServiceProvider>? ConfigureAkka { get; set; }

    /// <summary>
    /// Changes the built application before ActorRpc is mapped at <see cref="Path"/>: middleware, extra
    /// endpoints, more <c>MapActorRpc</c> paths, <c>MapActorRpcHealthChecks()</c>. (With a
    /// <see cref="WebApplication"/> the order of middleware and endpoints against that mapping does not
    /// matter: routing runs first and endpoints last.) <b>Default:</b> null.
    /// </summary>
    public Action<WebApplication>? ConfigureApp { get; set; }

    /// <summary>
    /// Adds conventions to the endpoint mapped at <see cref="Path"/>: <c>RequireAuthorization()</c>,
    /// <c>RequireCors(...)</c>, <c>RequireHost(...)</c>. <b>Default:</b> null.
    /// </summary>
    public Action<ActorRpcEndpointConventionBuilder>? ConfigureEndpoint { get; set; }

    /// <summary>
    /// How long <see cref="ActorRpcTestServer.StartAsync"/> may take before it gives up with a
    /// <see cref="TimeoutException"/>. <b>Default:</b> 30 seconds.
    /// </summary>
    public TimeSpan StartTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How long stopping in <see cref="ActorRpcTestServer.DisposeAsync"/> may take gracefully (open
    /// connections closed, the actor system out of its cluster). Past it, shutdown is cut short, and
    /// a part that still does not finish within as long again makes disposing throw a
    /// <see cref="TimeoutException"/>. <b>Default:</b> 30 seconds.
    /// </summary>
    public TimeSpan StopTimeout { get; set; } = TimeSpan.FromSeconds(30);
}
