using System.Text.Json;
using ActorRpc.Tests.Infrastructure;

namespace ActorRpc.Tests.BrowserClient;

/// <summary>
/// Issue 15: the browser/Node client in clients/js keeps its own unit tests (node:test with an in-memory
/// WebSocket, no npm dependencies); this spec runs them so a red JS test turns the .NET suite red, and checks
/// that the npm package holds exactly the module, its types, its README and package.json.
/// </summary>
public sealed class JsClientUnitTestsSpec
{
    private static readonly TimeSpan NodeTimeout = TimeSpan.FromMinutes(2);

    private static string ClientFolder => Path.Combine(ExternalProcess.RepositoryRoot(), "clients", "js");

    [Fact]
    public async Task NodeTest_ClientUnitTests_AllPass()
    {
        // The test files are listed explicitly: since Node 21 `--test` reads its arguments as globs, so a folder
        // no longer works, and Node 20 does not expand globs itself. test-support/ holds helpers, not tests.
        var tests = Directory.GetFiles(Path.Combine(ClientFolder, "test"), "*.test.mjs")
            .Select(file => Path.GetRelativePath(ClientFolder, file))
            .Order(StringComparer.Ordinal)
            .ToArray();
        Assert.NotEmpty(tests);
        var run = await ExternalProcess.RunAsync("node", ["--test", "--test-timeout=20000", .. tests], ClientFolder, NodeTimeout);

        Assert.True(run.ExitCode == 0, $"node --test failed (exit {run.ExitCode}):\n{run.Output}");
        // A runner that found no tests would also exit 0. (TAP prints "# pass 58", the spec reporter "ℹ pass 58".)
        Assert.Matches(@"(?m)^(# |ℹ )pass [1-9]\d*$", run.Output);
        Assert.Matches(@"(?m)^(# |ℹ )fail 0$", run.Output);
    }

    [Fact]
    public async Task NpmPack_ClientPackage_HoldsModuleTypesReadmeAndManifestOnly()
    {
        // Silent: npm writes notices to stderr, which RunAsync appends to the JSON on stdout.
        var environment = new Dictionary<string, string?> { ["npm_config_loglevel"] = "silent", ["npm_config_update_notifier"] = "false" };
        var run = await ExternalProcess.RunAsync("npm", ["pack", "--dry-run", "--json"], ClientFolder, NodeTimeout, environment);

        Assert.True(run.ExitCode == 0, $"npm pack failed (exit {run.ExitCode}):\n{run.Output}");
        using var document = JsonDocument.Parse(run.Output);
        var package = Assert.Single(document.RootElement.EnumerateArray());
        Assert.Equal("@actorrpc/client", package.GetProperty("name").GetString());
        Assert.Equal("0.1.0", package.GetProperty("version").GetString());
        var files = package.GetProperty("files").EnumerateArray().Select(file => file.GetProperty("path").GetString()).Order(StringComparer.Ordinal).ToArray();
        string?[] expected = ["README.md", "actorrpc.d.ts", "actorrpc.js", "package.json"];
        Assert.Equal(expected, files);
    }
}
