using System.Text.Json;
using ActorRpc.Tests.Infrastructure;
using ActorRpc.Tests.Security;

namespace ActorRpc.Tests.Discovery;

/// <summary>
/// The documents validate against the OpenRPC meta-schema (npm <c>@open-rpc/meta-schema</c> 1.14.9,
/// checked by ajv 8 in tests/openrpc/validate.mjs), every schema in them as a draft-07 schema; and each
/// param and result schema compiles on its own, every <c>$ref</c> resolving inside it.
/// </summary>
public sealed class OpenRpcMetaSchemaSpec(DiscoveryAppFixture fixture) : IClassFixture<DiscoveryAppFixture>
{
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
    public async Task Validate_BadSchemaType_InvalidNamingIt()
    {
        // The validator itself must be able to fail, on the schemas it rewires (definitions.JSONSchema): this is the only fault.
        var broken = Document("""{"name":"a","params":[{"name":"x","schema":{"type":"bogus"}}],"result":{"name":"result","schema":{}}}""");
        var (exitCode, output) = await ValidateAsync(broken, "bad-type");
        Assert.True(exitCode == 1, $"Expected the validator to refuse the document:\n{output}");
        Assert.Matches("(?m)^INVALID ", output);
        Assert.Contains("/methods/0/params/0/schema/type", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Validate_DanglingRef_InvalidNamingIt()
    {
        // Valid against the meta-schema ($ref is a string to it), but the pointer resolves to nothing in its schema.
        var broken = Document(
            """{"name":"a","params":[{"name":"x","schema":{"$id":"urn:x","type":"object","properties":{"n":{"$ref":"#/properties/m"}}}}],"result":{"name":"result","schema":{}}}""");
        var (exitCode, output) = await ValidateAsync(broken, "dangling");
        Assert.True(exitCode == 1, $"Expected the validator to refuse the document:\n{output}");
        Assert.Contains("/methods/0/params/0/schema (a) does not compile", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Validate_RefWithoutId_InvalidNamingIt()
    {
        // "#" inside a schema without its own $id means the OpenRPC document.
        var broken = Document("""{"name":"a","params":[],"result":{"name":"result","schema":{"type":"array","items":{"$ref":"#"}}}}""");
        var (exitCode, output) = await ValidateAsync(broken, "no-id");
        Assert.True(exitCode == 1, $"Expected the validator to refuse the document:\n{output}");
        Assert.Contains("/methods/0/result/schema (a) has no $id", output, StringComparison.Ordinal);
    }

    private static JsonElement Document(string method) =>
        JsonDocument.Parse($$"""{"openrpc":"1.3.2","info":{"title":"t","version":"1.0.0"},"methods":[{{method}}]}""").RootElement;

    private static async Task AssertValidAsync(JsonElement document, string label)
    {
        var (exitCode, output) = await ValidateAsync(document, label);
        Assert.True(exitCode == 0, $"The {label} document does not validate:\n{output}\n{document}");
        Assert.Matches("(?m)^VALID ", output);
    }

    private static async Task<(int ExitCode, string Output)> ValidateAsync(JsonElement document, string label)
    {
        var folder = Path.Combine(ExternalProcess.RepositoryRoot(), "tests", "openrpc");

        // The pinned packages are installed from the lock file on first use (which needs the npm registry), so a fresh clone needs no extra step.
        await NpmPackages.EnsureInstalledAsync(folder);

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
