using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ActorRpc.Tests.Infrastructure;

/// <summary>
/// An application of its own that uses ActorRpc as a library (not the demo node): a plain
/// <see cref="WebApplication"/> on Kestrel at 127.0.0.1:0, with only what the test registers and maps.
/// </summary>
public sealed class LibraryApp : IAsyncDisposable
{
    private LibraryApp(WebApplication app, Uri httpAddress, CapturingLoggerProvider logs)
    {
        App = app;
        HttpAddress = httpAddress;
        Logs = logs;
        Http = new HttpClient { BaseAddress = httpAddress, Timeout = TestTimeouts.Long };
    }

    public WebApplication App { get; }

    public Uri HttpAddress { get; }

    public HttpClient Http { get; }

    public CapturingLoggerProvider Logs { get; }

    /// <summary>Builds, maps and starts the application; <paramref name="args"/> are extra command-line settings.</summary>
    public static async Task<LibraryApp> StartAsync(Action<WebApplicationBuilder> services, Action<WebApplication> map, params string[] args)
    {
        var app = Build(services, map, args, out var logs);
        try
        {
            await app.StartAsync().DefaultTimeout();
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }

        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.Single();
        return new LibraryApp(app, new Uri(address), logs);
    }

    /// <summary>Builds the application without starting it, for tests of start-up failures.</summary>
    public static WebApplication Build(Action<WebApplicationBuilder> services, Action<WebApplication> map, string[] args, out CapturingLoggerProvider logs)
    {
        var builder = WebApplication.CreateBuilder(["--urls", "http://127.0.0.1:0", .. args]);
        var captured = new CapturingLoggerProvider();
        builder.Logging.ClearProviders();
        builder.Logging.AddProvider(captured);
        services(builder);
        var app = builder.Build();
        map(app);
        logs = captured;
        return app;
    }

    public Uri WebSocketUri(string path) => new UriBuilder(new Uri(HttpAddress, path)) { Scheme = "ws" }.Uri;

    public Task<RpcTestSocket> ConnectAsync(string path = "/rpc") => RpcTestSocket.ConnectAsync(WebSocketUri(path));

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await App.StopAsync().DefaultTimeout();
        await App.DisposeAsync();
    }
}
