using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using ActorRpc.Tests.Infrastructure;

namespace ActorRpc.Tests.Cluster;

/// <summary>
/// A node in its own process (the demo host binary next to the tests), so a test can kill it the
/// way a crash would: no leave, no close frames, no goodbye to the cluster.
/// </summary>
public sealed class NodeProcess : IAsyncDisposable
{
    private readonly Process _process;

    private NodeProcess(Process process, Uri httpAddress)
    {
        _process = process;
        HttpAddress = httpAddress;
        WebSocketUri = new Uri($"ws://{httpAddress.Authority}/rpc");
    }

    public Uri HttpAddress { get; }

    public Uri WebSocketUri { get; }

    public static async Task<NodeProcess> StartAsync(params string[] settings)
    {
        var port = FreePort();
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = AppContext.BaseDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in (string[])[Path.Combine(AppContext.BaseDirectory, "ActorRpc.DemoHost.dll"), "--urls", $"http://127.0.0.1:{port}", "--Logging:LogLevel:Default=Warning", .. settings])
        {
            start.ArgumentList.Add(argument);
        }

        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var node = new NodeProcess(process, new Uri($"http://127.0.0.1:{port}"));

        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        await Eventually.AssertAsync(async () =>
        {
            Assert.False(process.HasExited, "The node process exited during start-up.");
            try
            {
                using var response = await http.GetAsync(new Uri(node.HttpAddress, "/ready"));
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            }
            catch (HttpRequestException ex)
            {
                Assert.Fail($"Not listening yet: {ex.Message}");
            }
        });
        return node;
    }

    /// <summary>Kills the process at once, like a crash or a pulled plug.</summary>
    public void Kill()
    {
        _process.Kill(entireProcessTree: true);
        _process.WaitForExit(TestTimeouts.Long);
    }

    public ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            Kill();
        }

        _process.Dispose();
        return ValueTask.CompletedTask;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
