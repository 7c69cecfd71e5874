using ActorRpc.Tests.Infrastructure;

namespace ActorRpc.Tests.Interop;

/// <summary>
/// The Node client of the npm package rpc-websockets (a client we did not write) against a real
/// node: tests/interop/rpc-websockets/client.mjs makes the calls and checks every answer.
/// </summary>
public sealed class RpcWebSocketsInteropSpec
{
    [Fact]
    public async Task RpcWebSocketsClient_CallsNotificationsAndErrors_AllChecksPass()
    {
        var folder = Path.Combine(ExternalProcess.RepositoryRoot(), "tests", "interop", "rpc-websockets");

        // The pinned client is installed from the lock file on first use (which needs the npm registry), so a fresh clone needs no extra step.
        await NpmPackages.EnsureInstalledAsync(folder);

        await using var server = await RpcServer.StartAsync();
        var run = await ExternalProcess.RunAsync("node", ["client.mjs", server.WebSocketUri.ToString()], folder, TimeSpan.FromSeconds(90));

        Assert.True(run.ExitCode == 0, $"rpc-websockets checks failed:\n{run.Output}");
        Assert.DoesNotContain("FAIL", run.Output, StringComparison.Ordinal);
        Assert.Contains("PASS", run.Output, StringComparison.Ordinal);
    }
}
