using ActorRpc.Client;
using Akka.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ActorRpc.Testing;

/// <summary>
/// A real ActorRpc node for a test: Kestrel on a free loopback port, an actor system of its own, and
/// only the methods and topics the test registers (no demo methods), mapped at <c>/rpc</c>. Start one
/// per test with <see cref="StartAsync"/> and dispose it at the end; many can run in parallel in one
/// test process. It works with any test framework: it depends on none.
/// </summary>
/// <example>
/// <code>
/// await using var server = await ActorRpcTestServer.StartAsync(rpc => rpc.AddMethods&lt;Calc&gt;("calc"));
/// // server.Url is ws://127.0.0.1:PORT/rpc; server.HttpUrl takes POSTs on the same path.
/// </code>
/// </example>
public sealed class ActorRpcTestServer : IAsyncDisposable
{
    private static long _started;

    private readonly WebApplication _app;
    private readonly TimeSpan _stopTimeout;
    private int _disposed;

    private ActorRpcTestServer(WebApplication app, Uri baseAddress, string path, string actorSystemName, CapturedLogs logs, TimeSpan stopTimeout)
    {
        _app = app;
        _stopTimeout = stopTimeout;
        BaseAddress = baseAddress;
        HttpUrl = new Uri(baseAddress, path);
        Url = new UriBuilder(HttpUrl) { Scheme = Uri.UriSchemeWs }.Uri;
        ActorSystemName = actorSystemName;
        Logs = logs;
        Publisher = app.Services.GetRequiredService<ITopicPublisher>();
    }

    /// <summary>The WebSocket address of the ActorRpc endpoint: <c>ws://127.0.0.1:PORT/rpc</c>.</summary>
    public Uri Url { get; }

    /// <summary>The HTTP address of the same endpoint, for POSTs: <c>http://127.0.0.1:PORT/rpc</c>.</summary>
    public Uri HttpUrl { get; }

    /// <summary>The address Kestrel bound, <c>http://127.0.0.1:PORT/</c>, for the application's other endpoints.</summary>
    public Uri BaseAddress { get; }

    /// <summary>The application's services (options, the actor system, the test's own services).</summary>
    public IServiceProvider Services => _app.Services;

    /// <summary>Publishes to the server's topics, as an application's own code would.</summary>
    public ITopicPublisher Publisher { get; }

    /// <summary>The name of the server's actor system (see <see cref="ActorRpcTestServerOptions.ActorSystemName"/>).</summary>
    public string ActorSystemName { get; }

    /// <summary>Everything the server logged from <see cref="ActorRpcTestServerOptions.LogLevel"/> up; readable after it stopped.</summary>
    public CapturedLogs Logs { get; }

    /// <summary>
    /// A new HTTP client for this server: its <see cref="HttpClient.BaseAddress"/> is <see cref="BaseAddress"/>,
    /// so <c>PostAsync("/rpc", ...)</c> reaches the endpoint. The caller disposes it.
    /// </summary>
    /// <returns>The client.</returns>
    public HttpClient CreateHttpClient() => new() { BaseAddress = BaseAddress };

    /// <summary>
    /// A new <see cref="ActorRpcClient"/> connected to <see cref="Url"/> over a WebSocket; the test
    /// disposes it. Each call gives another connection (another session on the server).
    /// </summary>
    /// <param name="configure">Changes the client's options (an access token, timeouts, reconnects); null for the defaults.</param>
    /// <param name="cancellationToken">Stops connecting.</param>
    /// <returns>The connected client.</returns>
    public Task<ActorRpcClient> ConnectAsync(Action<ActorRpcClientOptions>? configure = null, CancellationToken cancellationToken = default) =>
        ActorRpcClient.ConnectAsync(Url, configure, cancellationToken);

    /// <summary>
    /// Builds and starts a node with the methods and topics <paramref name="configure"/> registers,
    /// and returns once it accepts connections.
    /// </summary>
    /// <param name="configure">Registers the test's methods and topics on ActorRpc's builder.</param>
    /// <param name="options">Changes settings, services, the application or logging; null for the defaults.</param>
    /// <returns>The running server; dispose it to stop it.</returns>
    /// <exception cref="TimeoutException">The node did not start within <see cref="ActorRpcTestServerOptions.StartTimeout"/>.</exception>
    /// <remarks>
    /// When the node fails to start (a duplicate method name, an invalid setting), the exception that
    /// stopped it is thrown from here, and what had started of it is stopped and disposed first.
    /// </remarks>
    public static async Task<ActorRpcTestServer> StartAsync(Action<IActorRpcBuilder> configure, Action<ActorRpcTestServerOptions>? options = null)
    {
        ArgumentNullException.ThrowIfNull(configure);
        var settings = new ActorRpcTestServerOptions();
        options?.Invoke(settings);
        ArgumentOutOfRangeException.ThrowIfNegative(settings.Port, nameof(settings.Port));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(settings.Port, 65535, nameof(settings.Port));
        var path = settings.Path.StartsWith('/') ? settings.Path : "/" + settings.Path;
        var systemName = settings.ActorSystemName ?? $"actor-rpc-test-{Interlocked.Increment(ref _started)}";
        var logs = new CapturedLogs(settings.LogLevel);

        var app = Build(configure, settings, systemName, logs);
        try
        {
            settings.ConfigureApp?.Invoke(app);
            var endpoint = app.MapActorRpc(path);
            settings.ConfigureEndpoint?.Invoke(endpoint);

            using (var starting = new CancellationTokenSource(settings.StartTimeout))
            {
                await app.StartAsync(starting.Token).WaitAsync(settings.StartTimeout).ConfigureAwait(false);
            }

            return new ActorRpcTestServer(app, BoundAddress(app), path, systemName, logs, settings.StopTimeout);
        }
        catch
        {
            // Whatever had started (the actor system, its remoting port, Kestrel) goes before the error surfaces.
            try
            {
                await StopAndDisposeAsync(app, settings.StopTimeout).ConfigureAwait(false);
            }
            catch (Exception)
            {
                // The start-up error is the one the test needs to see; a failure to stop what barely started adds nothing.
            }

            throw;
        }
    }

    /// <summary>Stops the node within <see cref="ActorRpcTestServerOptions.StopTimeout"/> (its port is free afterwards) and disposes it.</summary>
    /// <returns>A task that completes once the node stopped.</returns>
    /// <exception cref="TimeoutException">The node did not stop in time; it was disposed all the same.</exception>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            await StopAndDisposeAsync(_app, _stopTimeout).ConfigureAwait(false);
        }
    }

    private static WebApplication Build(Action<IActorRpcBuilder> configure, ActorRpcTestServerOptions settings, string systemName, CapturedLogs logs)
    {
        // Loopback on a free port, and a cluster of one on a free loopback port: given on the command
        // line, so they win over the environment and appsettings; the test's settings win over them.
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            // The IPv4 loopback (127.0.0.1, not localhost, so no client tries IPv6 first); port 0 is a free one.
            Args = ["--urls", $"http://127.0.0.1:{settings.Port.ToString(System.Globalization.CultureInfo.InvariantCulture)}", $"--{ClusterNodeOptions.SectionName}:Hostname=127.0.0.1", $"--{ClusterNodeOptions.SectionName}:Port=0"],
            EnvironmentName = settings.EnvironmentName,
        });
        builder.Configuration.AddInMemoryCollection(settings.Settings);

        builder.Logging.ClearProviders();
        builder.Logging.AddProvider(logs);
        if (settings.LogLevel < LogLevel.Information)
        {
            // A rule for this provider wins over the configured Logging:LogLevel, which usually stops at Information.
            builder.Logging.AddFilter<CapturedLogs>(null, settings.LogLevel);
        }

        settings.ConfigureLogging?.Invoke(builder.Logging);

        // The server's own actor system, registered before AddActorRpc() so ActorRpc starts none:
        // the same set-up ActorRpc gives itself, under a name of its own.
        builder.Services.AddAkka(systemName, (akka, services) =>
        {
            akka.ConfigureLoggers(loggers =>
            {
                loggers.ClearLoggers();
                loggers.AddLoggerFactory();
            });
            akka.WithActorRpcCluster(services.GetRequiredService<IOptions<ClusterNodeOptions>>().Value).WithActorRpc();
            settings.ConfigureAkka?.Invoke(akka, services);
        });

        // The test's services before ActorRpc's, in the order an application registers them.
        settings.ConfigureBuilder?.Invoke(builder);
        configure(builder.Services.AddActorRpc());
        return builder.Build();
    }

    private static Uri BoundAddress(WebApplication app)
    {
        var addresses = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses;

        // A Kestrel:Endpoints section (an appsettings.json copied from the app under test, an
        // environment variable) adds to the loopback address: a test server never listens beyond it.
        if (addresses.FirstOrDefault(address => !IsLoopback(address)) is { } exposed)
        {
            throw new InvalidOperationException(
                $"The test server would listen on {exposed}, which is not a loopback address; remove the Kestrel endpoints configured for it (appsettings.json, environment variables) or set a loopback address in Settings.");
        }

        var http = addresses.FirstOrDefault(address => address.StartsWith("http://", StringComparison.OrdinalIgnoreCase))
            ?? throw new InvalidOperationException($"The test server bound no http:// address (it bound: {string.Join(", ", addresses)}).");
        return new Uri(http.TrimEnd('/') + "/");
    }

    /// <summary>Whether a Kestrel address (<c>http://127.0.0.1:5000</c>, <c>http://[::1]:0</c>, <c>http://+:80</c>) listens on loopback only.</summary>
    internal static bool IsLoopback(string address) =>
        Uri.TryCreate(address.Replace("://+", "://0.0.0.0", StringComparison.Ordinal).Replace("://*", "://0.0.0.0", StringComparison.Ordinal), UriKind.Absolute, out var uri)
        && (uri.IsLoopback || (System.Net.IPAddress.TryParse(uri.Host.Trim('[', ']'), out var ip) && System.Net.IPAddress.IsLoopback(ip)));

    private static async Task StopAndDisposeAsync(WebApplication app, TimeSpan timeout)
    {
        try
        {
            // When the timeout expires the token cuts graceful shutdown short; a part that ignores it
            // gets as long again, then stopping gives up with a TimeoutException.
            using var stopping = new CancellationTokenSource(timeout);
            await app.StopAsync(stopping.Token).WaitAsync(timeout + timeout).ConfigureAwait(false);
        }
        finally
        {
            await app.DisposeAsync().AsTask().WaitAsync(timeout).ConfigureAwait(false);
        }
    }
}
