using ActorRpc.DemoHost;
using ActorRpc.Testing;
using Microsoft.AspNetCore.Builder;

namespace ActorRpc.Tests.Infrastructure;

/// <summary>
/// The demo node started on loopback with every address it binds (an HTTPS endpoint, a management
/// port), where <see cref="RpcServer"/> expects exactly one plain HTTP address.
/// </summary>
public sealed class DemoNodeOnLoopback : IAsyncDisposable
{
    private DemoNodeOnLoopback(WebApplication app, IReadOnlyList<Uri> addresses, CapturedLogs logs)
    {
        App = app;
        Addresses = addresses;
        Logs = logs;
    }

    public WebApplication App { get; }

    /// <summary>Every address Kestrel bound, in the order it reports them.</summary>
    public IReadOnlyList<Uri> Addresses { get; }

    public CapturedLogs Logs { get; }

    /// <summary>Starts the demo node with <c>--urls http://127.0.0.1:0</c> and then <paramref name="settings"/>.</summary>
    public static async Task<DemoNodeOnLoopback> StartAsync(params string[] settings)
    {
        var logs = new CapturedLogs();
        var app = DemoNode.Create(LoopbackHost.Args(settings), builder => LoopbackHost.CaptureLogs(builder, logs));
        return new DemoNodeOnLoopback(app, await LoopbackHost.StartAllAsync(app), logs);
    }

    /// <summary>The address on <paramref name="port"/>.</summary>
    public Uri Address(int port) => Addresses.Single(address => address.Port == port);

    /// <summary>The one address not on <paramref name="port"/>.</summary>
    public Uri AddressOtherThan(int port) => Addresses.Single(address => address.Port != port);

    /// <summary>The JSON-RPC WebSocket URI at <paramref name="address"/>: <c>ws</c> or <c>wss</c> as its scheme says.</summary>
    public Uri WebSocketUri(Uri address) =>
        new UriBuilder(new Uri(address, DemoNode.RpcPath)) { Scheme = address.Scheme == Uri.UriSchemeHttps ? "wss" : "ws" }.Uri;

    public async ValueTask DisposeAsync()
    {
        await App.StopAsync().DefaultTimeout();
        await App.DisposeAsync();
    }
}
