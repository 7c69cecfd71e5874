namespace ActorRpc.DemoHost;

/// <summary>
/// The demo node, built from ActorRpc's public API the way an application would build its own:
/// every demo method and topic, a server-side actor feeding the clock topic, health endpoints,
/// Prometheus metrics (on a management port of their own when <c>Management:Port</c> is set), a
/// CORS policy for browser POSTs, a console page at <c>/</c> (<see cref="DemoConsole"/>), and JWT
/// bearer authentication when it is configured (<see cref="DemoAuthentication"/>). Program.cs and
/// the tests start here.
/// </summary>
public static class DemoNode
{
    /// <summary>Where a node listens when neither <c>--urls</c>, <c>ASPNETCORE_URLS</c> nor Kestrel endpoints say otherwise.</summary>
    public const string DefaultUrl = "http://127.0.0.1:5000";

    /// <summary>The path of the JSON-RPC endpoint (WebSocket and POST).</summary>
    public const string RpcPath = "/rpc";

    /// <summary>The CORS policy of the JSON-RPC endpoint, from <c>ActorRpc:Endpoint:AllowedOrigins</c> (empty: any origin).</summary>
    public const string CorsPolicy = "ActorRpcDemo";

    /// <summary>Creates the node. <paramref name="configure"/> runs after the demo's own registrations, so it can add methods, topics or configuration.</summary>
    public static WebApplication Create(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = CreateBuilder(args);

        // Only when nothing chose an address: --urls, ASPNETCORE_URLS, the container images' ASPNETCORE_HTTP_PORTS, or Kestrel endpoints.
        var configuration = builder.Configuration;
        if (string.IsNullOrEmpty(configuration["urls"])
            && string.IsNullOrEmpty(configuration["http_ports"])
            && string.IsNullOrEmpty(configuration["https_ports"])
            && !configuration.GetSection("Kestrel:Endpoints").Exists())
        {
            builder.WebHost.UseUrls(DefaultUrl);
        }

        // After the default address, which it adds to rather than replaces.
        var managementPort = ManagementPort.Listen(builder, DefaultUrl);

        // JWT bearer tokens when Authentication:Schemes:Bearer is configured (the Development
        // environment's appsettings has a key); the policies of the guarded demo methods in any case.
        builder.AddDemoAuthentication();

        builder.Services.AddActorRpc()
            .AddMethods<DemoMethods>()
            .AddTopic(DemoMethods.NewsTopic, topic => topic.Summary = "Whatever clients publish with the method publish.")
            .AddTopic(DemoMethods.ClockTopic, topic => topic.Summary = "The node's time and a tick counter, once a second (retained).")
            .AddTopic(DemoMethods.AdminTopic, topic =>
            {
                topic.Summary = "Published by and for callers with the permission admin.";
                topic.RequirePermission(DemoPolicies.AdminPermission);
            });

        // A server-side actor publishing through the notify API, as any application actor would.
        builder.Services.AddHostedService<ClockTicker>();

        var allowedOrigins = configuration.GetSection("ActorRpc:Endpoint:AllowedOrigins").Get<string[]>() ?? [];
        builder.Services.AddCors(cors => cors.AddPolicy(CorsPolicy, policy =>
        {
            _ = allowedOrigins.Length == 0 ? policy.AllowAnyOrigin() : policy.WithOrigins(allowedOrigins);
            policy.WithMethods("POST").WithHeaders("Content-Type");
        }));
        builder.AddDemoTelemetry();
        configure?.Invoke(builder);

        var app = builder.Build();
        app.UseCors();
        app.MapActorRpcHealthChecks().OnlyOnManagementPort(managementPort);
        app.MapDemoMetrics()?.OnlyOnManagementPort(managementPort);
        app.MapActorRpc(RpcPath).RequireCors(CorsPolicy);

        // The console at / and the browser client it imports, for trying the node from a browser.
        // Under the same CORS policy, so a page of another origin (samples/browser) can import the module.
        app.MapActorRpcBrowserClient().RequireCors(CorsPolicy);
        app.MapDemoConsole();
        return app;
    }

    /// <summary>
    /// The node's builder before anything is registered: its configuration is what the node reads
    /// (the token command reads its signing key from it, so a token matches the node started with
    /// the same arguments).
    /// </summary>
    internal static WebApplicationBuilder CreateBuilder(string[] args) => WebApplication.CreateBuilder(new WebApplicationOptions
    {
        Args = args,

        // appsettings.json (and appsettings.Development.json) ship next to the binary, so the node
        // reads them whatever the working directory.
        ContentRootPath = AppContext.BaseDirectory,
    });
}
