using ActorRpc.DemoHost;
using ActorRpc.Testing;
using Microsoft.AspNetCore.Builder;

namespace ActorRpc.Tests.Infrastructure;

/// <summary>
/// A real ActorRpc node (the demo node, built like any application) on Kestrel, bound to a free
/// loopback port (see <see cref="LoopbackHost"/>).
/// </summary>
public sealed class RpcServer : IAsyncDisposable
{
    private RpcServer(WebApplication app, Uri httpAddress, CapturedLogs logs)
    {
        Logs = logs;
        App = app;
        HttpAddress = httpAddress;
        RpcUri = new Uri(httpAddress, "/rpc");
        WebSocketUri = new UriBuilder(RpcUri) { Scheme = "ws" }.Uri;
        Http = LoopbackHost.Client(httpAddress);
    }

    public WebApplication App { get; }

    public Uri HttpAddress { get; }

    public Uri RpcUri { get; }

    public Uri WebSocketUri { get; }

    public HttpClient Http { get; }

    /// <summary>Everything the server logged at Information or above (nothing goes to the console).</summary>
    public CapturedLogs Logs { get; }

    public static async Task<RpcServer> StartAsync(Action<WebApplicationBuilder>? configure = null, params string[] settings)
    {
        var logs = new CapturedLogs();
        var app = DemoNode.Create(LoopbackHost.Args(settings), builder =>
        {
            LoopbackHost.CaptureLogs(builder, logs);
            configure?.Invoke(builder);
        });
        return new RpcServer(app, await LoopbackHost.StartAsync(app), logs);
    }

    public Task<RpcTestSocket> ConnectAsync() => RpcTestSocket.ConnectAsync(WebSocketUri);

    public ValueTask DisposeAsync() => LoopbackHost.StopAsync(App, Http);
}
