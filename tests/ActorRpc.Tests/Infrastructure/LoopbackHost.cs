using ActorRpc.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ActorRpc.Tests.Infrastructure;

/// <summary>
/// What every in-process test host (<see cref="RpcServer"/>, <see cref="LibraryApp"/>) does the same
/// way: Kestrel on 127.0.0.1 with a free port (127.0.0.1 rather than localhost, so no test ever waits
/// on an IPv6 attempt), logs captured instead of written to the console, the bound address read back
/// once started, and a bounded stop.
/// </summary>
internal static class LoopbackHost
{
    /// <summary>Command-line arguments binding Kestrel to a free loopback port, then <paramref name="settings"/>.</summary>
    public static string[] Args(string[] settings) => ["--urls", "http://127.0.0.1:0", .. settings];

    /// <summary>Sends everything the application logs to <paramref name="logs"/>, and nothing to the console.</summary>
    public static void CaptureLogs(WebApplicationBuilder builder, CapturedLogs logs)
    {
        builder.Logging.ClearProviders();
        builder.Logging.AddProvider(logs);
    }

    /// <summary>Starts <paramref name="app"/> (disposing it when it fails to start) and returns the address Kestrel bound.</summary>
    public static async Task<Uri> StartAsync(WebApplication app) => (await StartAllAsync(app)).Single();

    /// <summary>Starts <paramref name="app"/> (disposing it when it fails to start) and returns every address Kestrel bound.</summary>
    public static async Task<IReadOnlyList<Uri>> StartAllAsync(WebApplication app)
    {
        try
        {
            await app.StartAsync().DefaultTimeout();
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }

        return [.. app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.Select(address => new Uri(address))];
    }

    /// <summary>
    /// A loopback port free a moment ago, for settings that need a real port number (0 means "off"
    /// to them). Another process could take it in between; on a test machine none does.
    /// </summary>
    public static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>An HTTP client for <paramref name="address"/> whose requests give up after <see cref="TestTimeouts.Long"/>.</summary>
    public static HttpClient Client(Uri address) => new() { BaseAddress = address, Timeout = TestTimeouts.Long };

    /// <summary>Stops and disposes <paramref name="app"/>, and its <paramref name="http"/> client.</summary>
    public static async ValueTask StopAsync(WebApplication app, HttpClient http)
    {
        http.Dispose();
        await app.StopAsync().DefaultTimeout();
        await app.DisposeAsync();
    }

    /// <summary>
    /// Starts a server on a port that was held a moment ago (a restart on the same port): until the OS
    /// hands it back, or while another test's connection drew it as its local port, binding fails
    /// with "address already in use" (Kestrel's IOException). Retried for at most <see cref="TestTimeouts.Long"/>.
    /// </summary>
    public static async Task<T> RebindAsync<T>(Func<Task<T>> start)
    {
        var deadline = DateTime.UtcNow + TestTimeouts.Long;
        while (true)
        {
            try
            {
                return await start();
            }
            catch (IOException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(100);
            }
        }
    }
}
