using System.Text.Json;
using ActorRpc.Tests.Infrastructure;
using ActorRpc.Tests.Security;

namespace ActorRpc.Tests.Discovery;

/// <summary>
/// The documents validate against the OpenRPC meta-schema (npm <c>@open-rpc/meta-schema</c> 1.14.9,
/// checked by ajv 8 in tests/openrpc/validate.mjs), every schema in them as a draft-07 schema.
/// </summary>
public sealed class OpenRpcMetaSchemaSpec(DiscoveryAppFixture fixture) : IClassFixture<DiscoveryAppFixture>
{
    private static readonly TimeSpan NpmTimeout = TimeSpan.FromMinutes(3);

    [Fact]
    public async Task Validate_DemoNodeDocument_Valid()
    {
        await AssertValidAsync(await DemoNodeDiscoverySpec.DiscoverAsync(), "demo");
    }

    [Fact]
    public async Task Validate_TestAppDocumentAsAdmin_Valid()
    {
        // The admin sees every method: records, nullables, arrays, defaults, whole params, a delegate, an actor.
        var document = await fixture.DiscoverAsync(TestCaller.User("root", permissions: ["jobs.run"]));
        Assert.Contains("job", document.GetProperty("methods").EnumerateArray().Select(m => m.GetProperty("name").GetString()));
        await AssertValidAsync(document, "app");
    }

    [Fact]
    public async Task Validate_BrokenDocument_Invalid()
    {
        // The validator itself must be able to fail: a document without info and with a bad schema type.
        var broken = JsonDocument.Parse("""{"openrpc":"1.3.2","methods":[{"name":"a","params":[{"name":"x","schema":{"type":"bogus"}}]}]}""").RootElement;
        var (exitCode, output) = await ValidateAsync(broken, "broken");
        Assert.True(exitCode == 1, $"Expected the validator to refuse the document:\n{output}");
        Assert.Contains("INVALID", output, StringComparison.Ordinal);
    }

    private static async Task AssertValidAsync(JsonElement document, string label)
    {
        var (exitCode, output) = await ValidateAsync(document, label);
        Assert.True(exitCode == 0, $"The {label} document does not validate:\n{output}\n{document}");
        Assert.Contains("VALID", output, StringComparison.Ordinal);
    }

    private static async Task<(int ExitCode, string Output)> ValidateAsync(JsonElement document, string label)
    {
        var folder = Path.Combine(ExternalProcess.RepositoryRoot(), "tests", "openrpc");
        if (!Directory.Exists(Path.Combine(folder, "node_modules", "@open-rpc", "meta-schema")) || !Directory.Exists(Path.Combine(folder, "node_modules", "ajv")))
        {
            // The pinned packages are installed from the lock file on first use, so a fresh clone needs no extra step.
            var install = await ExternalProcess.RunAsync("npm", ["ci", "--no-audit", "--no-fund"], folder, NpmTimeout);
            Assert.True(install.ExitCode == 0, $"npm ci failed:\n{install.Output}");
        }

        var path = Path.Combine(Path.GetTempPath(), $"openrpc-{label}-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(path, document.GetRawText());
        try
        {
            return await ExternalProcess.RunAsync("node", ["validate.mjs", path], folder, TimeSpan.FromSeconds(60));
        }
        finally
        {
            File.Delete(path);
        }
    }
}
