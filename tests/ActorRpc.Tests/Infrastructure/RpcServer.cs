using ActorRpc.DemoHost;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ActorRpc.Tests.Infrastructure;

/// <summary>
/// A real ActorRpc node (the demo node, built like any application) on Kestrel, bound to 127.0.0.1 on a free port (127.0.0.1 rather than
/// localhost, so no test ever waits on an IPv6 attempt).
/// </summary>
public sealed class RpcServer : IAsyncDisposable
{
    private RpcServer(WebApplication app, Uri httpAddress, CapturingLoggerProvider logs)
    {
        Logs = logs;
        App = app;
        HttpAddress = httpAddress;
        RpcUri = new Uri(httpAddress, "/rpc");
        WebSocketUri = new UriBuilder(RpcUri) { Scheme = "ws" }.Uri;
        Http = new HttpClient { BaseAddress = httpAddress, Timeout = TestTimeouts.Long };
    }

    public WebApplication App { get; }

    public Uri HttpAddress { get; }

    public Uri RpcUri { get; }

    public Uri WebSocketUri { get; }

    public HttpClient Http { get; }

    /// <summary>Everything the server logged at Information or above (nothing goes to the console).</summary>
    public CapturingLoggerProvider Logs { get; }

    public static async Task<RpcServer> StartAsync(Action<WebApplicationBuilder>? configure = null, params string[] settings)
    {
        string[] args = ["--urls", "http://127.0.0.1:0", .. settings];
        var logs = new CapturingLoggerProvider();
        var app = DemoNode.Create(args, builder =>
        {
            builder.Logging.ClearProviders();
            builder.Logging.AddProvider(logs);
            configure?.Invoke(builder);
        });
        await app.StartAsync().DefaultTimeout();
        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.Single();
        return new RpcServer(app, new Uri(address), logs);
    }

    public Task<RpcTestSocket> ConnectAsync() => RpcTestSocket.ConnectAsync(WebSocketUri);

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await App.StopAsync().DefaultTimeout();
        await App.DisposeAsync();
    }
}

/// <summary>One node shared by the tests of a class; subclasses add methods or topics.</summary>
public class RpcServerFixture : IAsyncLifetime
{
    private RpcServer? _server;

    public RpcServer Server => _server ?? throw new InvalidOperationException("The server is not started.");

    public async Task InitializeAsync() => _server = await RpcServer.StartAsync(Configure);

    protected virtual void Configure(WebApplicationBuilder builder)
    {
    }

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }
}
