using System.Diagnostics;
using System.IO.Compression;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using System.Xml.Linq;
using ActorRpc.Tests.Infrastructure;
using Xunit.Abstractions;

namespace ActorRpc.Tests.Packaging;

/// <summary>
/// Issue 11: the solution packs into the library packages only, each with the metadata NuGet users
/// see, and an application outside the solution builds against the packed ActorRpc.Gateway alone
/// and serves over a real socket: the README's example, and an app with its own AddAkka. Fails
/// (never skips) when packing breaks.
/// </summary>
[Collection(PackagingCollection.Name)]
public sealed class PackagedAppSpec(PackedPackages packages, ITestOutputHelper output)
{
    private static readonly string[] Libraries = ["ActorRpc.Actors", "ActorRpc.Client", "ActorRpc.Gateway", "ActorRpc.Methods", "ActorRpc.Testing"];
    private static readonly TimeSpan BuildTimeout = TimeSpan.FromMinutes(5);

    [Fact]
    public void Pack_Solution_LibraryPackagesOnlyWithSymbols()
    {
        AssertPacked();
        var files = Directory.GetFiles(packages.Folder).Select(Path.GetFileName).Order(StringComparer.Ordinal).ToArray();
        string[] expected = [.. Libraries.SelectMany(id => new[] { $"{id}.{packages.Version}.nupkg", $"{id}.{packages.Version}.snupkg" }).Order(StringComparer.Ordinal)];
        Assert.Equal(expected, files);
    }

    [Theory]
    [InlineData("ActorRpc.Actors")]
    [InlineData("ActorRpc.Client")]
    [InlineData("ActorRpc.Gateway")]
    [InlineData("ActorRpc.Methods")]
    [InlineData("ActorRpc.Testing")]
    public void Pack_EachPackage_DescribedLicensedDocumented(string id)
    {
        AssertPacked();
        using var package = ZipFile.OpenRead(Path.Combine(packages.Folder, $"{id}.{packages.Version}.nupkg"));
        var entries = package.Entries.Select(e => e.FullName).ToHashSet(StringComparer.Ordinal);
        Assert.Contains($"lib/net10.0/{id}.dll", entries);
        Assert.Contains($"lib/net10.0/{id}.xml", entries); // XML docs travel with the assembly.
        Assert.Contains("README.md", entries);

        using var nuspecStream = package.GetEntry($"{id}.nuspec")!.Open();
        var metadata = XDocument.Load(nuspecStream).Root!.Elements().Single(e => e.Name.LocalName == "metadata");
        string Field(string name) => metadata.Elements().SingleOrDefault(e => e.Name.LocalName == name)?.Value ?? string.Empty;
        Assert.Equal(packages.Version, Field("version"));
        Assert.False(string.IsNullOrWhiteSpace(Field("description")));
        Assert.Equal("MIT", Field("license"));
        Assert.StartsWith("https://", Field("projectUrl"), StringComparison.Ordinal);
        Assert.Equal("README.md", Field("readme"));
    }

    [Fact]
    public void Pack_Gateway_BringsTheOtherPackagesAtTheSameVersion()
    {
        var dependencies = Dependencies("ActorRpc.Gateway");
        Assert.Equal(packages.Version, dependencies["ActorRpc.Actors"]);
        Assert.Equal(packages.Version, dependencies["ActorRpc.Methods"]);
    }

    [Fact]
    public void Pack_Gateway_EmbedsTheBrowserClient()
    {
        // MapActorRpcBrowserClient serves the script from the assembly: a package without it would fail at start-up.
        AssertPacked();
        using var package = ZipFile.OpenRead(Path.Combine(packages.Folder, $"ActorRpc.Gateway.{packages.Version}.nupkg"));
        using var assembly = new MemoryStream();
        using (var entry = package.GetEntry("lib/net10.0/ActorRpc.Gateway.dll")!.Open())
        {
            entry.CopyTo(assembly);
        }

        assembly.Position = 0;
        var context = new System.Runtime.Loader.AssemblyLoadContext("packed-gateway", isCollectible: true);
        try
        {
            using var script = context.LoadFromStream(assembly).GetManifestResourceStream("ActorRpc.Gateway.actorrpc.js");
            Assert.NotNull(script);
            using var bytes = new MemoryStream();
            script.CopyTo(bytes);
            Assert.Equal(File.ReadAllBytes(Path.Combine(ExternalProcess.RepositoryRoot(), "clients", "js", "actorrpc.js")), bytes.ToArray());
        }
        finally
        {
            context.Unload();
        }
    }

    [Fact]
    public void Pack_Client_DependsOnNoServerPackage()
    {
        Assert.DoesNotContain(Dependencies("ActorRpc.Client").Keys, id => id.StartsWith("ActorRpc.", StringComparison.Ordinal) || id.StartsWith("Akka", StringComparison.Ordinal));
    }

    [Fact]
    public void Pack_Testing_BringsTheServerAndTheClientAtTheSameVersionAndNoTestFramework()
    {
        var dependencies = Dependencies("ActorRpc.Testing");
        Assert.Equal(packages.Version, dependencies["ActorRpc.Gateway"]);
        Assert.Equal(packages.Version, dependencies["ActorRpc.Client"]);
        Assert.DoesNotContain(dependencies.Keys, id => id.StartsWith("xunit", StringComparison.OrdinalIgnoreCase) || id.StartsWith("NUnit", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task ClientApp_AgainstThePackages_TestKitServerAndClientTalkBothWays()
    {
        var folder = await BuildAppAsync("ClientApp");
        var run = await ExternalProcess.RunAsync(
            "dotnet", [Path.Combine(folder, "bin", "Release", "net10.0", "ClientApp.dll")], folder, BuildTimeout, PackedPackages.CleanEnvironment);
        Assert.True(run.ExitCode == 0, $"ClientApp failed:\n{run.Output}");
        Assert.Contains("sum=5 answer=ready! tick=1", run.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ExampleApp_AgainstThePackages_ServesItsMethodsAndTopic()
    {
        await using var app = await StartAppAsync("ExampleApp");
        await using var socket = await RpcTestSocket.ConnectAsync(app.WebSocketUri);
        await AssertExampleAsync(app, socket);
    }

    [Fact]
    public async Task OwnAkkaApp_AgainstThePackages_ItsActorsServeAndPublish()
    {
        await using var app = await StartAppAsync("OwnAkkaApp");
        await using var socket = await RpcTestSocket.ConnectAsync(app.WebSocketUri);
        await AssertExampleAsync(app, socket);

        Assert.Equal("SALE", JsonAssert.Result(await socket.CallAsync("shout", new[] { "sale" })).GetString());
        using var announced = await app.Http.PostAsync("/announce", content: null);
        Assert.Equal(HttpStatusCode.OK, announced.StatusCode);
        var notification = await socket.ReceiveJsonAsync();
        Assert.Equal("sale", notification.GetProperty("params").GetProperty("said").GetString());
    }

    /// <summary>What the "done when" names: both methods, only its own names and topic, and a publish from an endpoint reaching a subscriber.</summary>
    private static async Task AssertExampleAsync(RunningApp app, RpcTestSocket socket)
    {
        Assert.Equal(42, JsonAssert.Result(await socket.CallAsync("calc.twice", new[] { 21 })).GetInt64());
        Assert.Equal("Hello Ada", JsonAssert.Result(await socket.CallAsync("hello", new[] { "Ada" })).GetString());
        var methods = JsonAssert.Result(await socket.CallAsync("get_methods")).EnumerateArray().Select(e => e.GetString()!).ToArray();
        Assert.Superset(new HashSet<string> { "calc.twice", "hello", "get_methods", "get_topics", "get_subscriptions", "subscribe", "unsubscribe" }, methods.ToHashSet());
        Assert.DoesNotContain("ping", methods);
        Assert.Equal(["ticks"], JsonAssert.Result(await socket.CallAsync("get_topics")).EnumerateArray().Select(e => e.GetString()!).ToArray());
        JsonAssert.Result(await socket.CallAsync("subscribe", new[] { "ticks" }));

        // The topic's pub/sub registration may still be on its way on a node just started: publish until one arrives.
        JsonElement? tick = null;
        await Eventually.AssertAsync(async () =>
        {
            using var published = await app.Http.PostAsync("/tick", content: null);
            Assert.Equal(HttpStatusCode.OK, published.StatusCode);
            try
            {
                tick = await socket.ReceiveJsonAsync(TimeSpan.FromSeconds(1));
            }
            catch (OperationCanceledException)
            {
                Assert.Fail("No notification yet.");
            }
        });
        Assert.Equal("ticks", tick!.Value.GetProperty("method").GetString());
        Assert.Equal(1, tick.Value.GetProperty("params").GetProperty("n").GetInt32());
        while (true)
        {
            // Later publishes of the retry loop may still arrive; drain them so the caller starts clean.
            try
            {
                await socket.ReceiveJsonAsync(TestTimeouts.Short);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }
    }

    private void AssertPacked() => Assert.True(packages.Packed, $"dotnet pack ActorRpc.sln failed:\n{packages.PackOutput}");

    /// <summary>The ids and versions of a packed package's dependencies.</summary>
    private Dictionary<string, string> Dependencies(string id)
    {
        AssertPacked();
        using var package = ZipFile.OpenRead(Path.Combine(packages.Folder, $"{id}.{packages.Version}.nupkg"));
        using var nuspecStream = package.GetEntry($"{id}.nuspec")!.Open();
        return XDocument.Load(nuspecStream).Descendants().Where(e => e.Name.LocalName == "dependency")
            .ToDictionary(e => e.Attribute("id")!.Value, e => e.Attribute("version")!.Value, StringComparer.Ordinal);
    }

    /// <summary>Copies an app of tests/packaging outside the repository and builds it against the packed packages; returns its folder.</summary>
    private async Task<string> BuildAppAsync(string name)
    {
        AssertPacked();
        var folder = Path.Combine(packages.Scratch, name);
        Directory.CreateDirectory(folder);
        foreach (var file in Directory.GetFiles(Path.Combine(ExternalProcess.RepositoryRoot(), "tests", "packaging", name)))
        {
            File.Copy(file, Path.Combine(folder, Path.GetFileName(file)), overwrite: true);
        }

        // The packed folder comes first; the machine's own sources still serve Akka and the rest.
        File.WriteAllText(Path.Combine(folder, "nuget.config"), $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <add key="actorrpc-packed" value="{packages.Folder}" />
              </packageSources>
            </configuration>
            """);

        var build = await ExternalProcess.RunAsync(
            "dotnet",
            ["build", "-c", "Release", $"-p:ActorRpcVersion={packages.Version}", "--disable-build-servers", "-nodeReuse:false"],
            folder,
            BuildTimeout,
            PackedPackages.CleanEnvironment);
        Assert.True(build.ExitCode == 0, $"{name} did not build against the packages:\n{build.Output}");
        return folder;
    }

    private async Task<RunningApp> StartAppAsync(string name)
    {
        var folder = await BuildAppAsync(name);
        var port = FreePort();
        var start = new ProcessStartInfo("dotnet") { WorkingDirectory = folder, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in new[] { Path.Combine(folder, "bin", "Release", "net10.0", name + ".dll"), "--urls", $"http://127.0.0.1:{port}" })
        {
            start.ArgumentList.Add(argument);
        }

        var process = Process.Start(start)!;
        var log = new System.Collections.Concurrent.ConcurrentQueue<string>();
        process.OutputDataReceived += (_, e) => log.Enqueue(e.Data ?? string.Empty);
        process.ErrorDataReceived += (_, e) => log.Enqueue(e.Data ?? string.Empty);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var app = new RunningApp(process, new Uri($"http://127.0.0.1:{port}"));
        try
        {
            await Eventually.AssertAsync(async () =>
            {
                Assert.False(process.HasExited, $"{name} exited during start-up:\n{string.Join('\n', log)}");
                try
                {
                    await using var probe = await RpcTestSocket.ConnectAsync(app.WebSocketUri);
                }
                catch (Exception ex) when (ex is System.Net.WebSockets.WebSocketException or HttpRequestException or TimeoutException)
                {
                    Assert.Fail($"Not serving yet: {ex.Message}");
                }
            });
        }
        catch
        {
            output.WriteLine(string.Join('\n', log));
            await app.DisposeAsync();
            throw;
        }

        return app;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>An app process; disposing kills it.</summary>
    private sealed class RunningApp(Process process, Uri httpAddress) : IAsyncDisposable
    {
        public HttpClient Http { get; } = new() { BaseAddress = httpAddress, Timeout = TestTimeouts.Long };

        public Uri WebSocketUri { get; } = new($"ws://{httpAddress.Authority}/rpc");

        public async ValueTask DisposeAsync()
        {
            Http.Dispose();
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync().WaitAsync(TestTimeouts.Long);
            }

            process.Dispose();
        }
    }
}
