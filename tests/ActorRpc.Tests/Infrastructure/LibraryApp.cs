using ActorRpc.Testing;
using Microsoft.AspNetCore.Builder;

namespace ActorRpc.Tests.Infrastructure;

/// <summary>
/// An application of its own that uses ActorRpc as a library (not the demo node): a plain
/// <see cref="WebApplication"/> on a free loopback port (see <see cref="LoopbackHost"/>), with only what the test registers and maps.
/// </summary>
public sealed class LibraryApp : IAsyncDisposable
{
    private LibraryApp(WebApplication app, Uri httpAddress, CapturedLogs logs)
    {
        App = app;
        HttpAddress = httpAddress;
        Logs = logs;
        Http = LoopbackHost.Client(httpAddress);
    }

    public WebApplication App { get; }

    public Uri HttpAddress { get; }

    public HttpClient Http { get; }

    public CapturedLogs Logs { get; }

    /// <summary>Builds, maps and starts the application; <paramref name="args"/> are extra command-line settings.</summary>
    public static async Task<LibraryApp> StartAsync(Action<WebApplicationBuilder> services, Action<WebApplication> map, params string[] args)
    {
        var app = Build(services, map, args, out var logs);
        return new LibraryApp(app, await LoopbackHost.StartAsync(app), logs);
    }

    /// <summary>Builds the application without starting it, for tests of start-up failures.</summary>
    public static WebApplication Build(Action<WebApplicationBuilder> services, Action<WebApplication> map, string[] args, out CapturedLogs logs)
    {
        var builder = WebApplication.CreateBuilder(LoopbackHost.Args(args));
        var captured = new CapturedLogs();
        LoopbackHost.CaptureLogs(builder, captured);
        services(builder);
        var app = builder.Build();
        map(app);
        logs = captured;
        return app;
    }

    public Uri WebSocketUri(string path) => new UriBuilder(new Uri(HttpAddress, path)) { Scheme = "ws" }.Uri;

    public Task<RpcTestSocket> ConnectAsync(string path = "/rpc") => RpcTestSocket.ConnectAsync(WebSocketUri(path));

    public ValueTask DisposeAsync() => LoopbackHost.StopAsync(App, Http);
}
