using System.Globalization;
using ActorRpc.Tests.Infrastructure;

namespace ActorRpc.Tests.Packaging;

/// <summary>
/// The solution packed once, as a user's CI would: <c>dotnet pack ActorRpc.sln -c Release -o DIR</c>
/// on a copy of the repository (so this run's own build outputs are never touched), with a version
/// suffix unique to the run, since NuGet caches a package version for good once it has seen it.
/// </summary>
public sealed class PackedPackages : IAsyncLifetime
{
    private static readonly TimeSpan PackTimeout = TimeSpan.FromMinutes(8);
    private static readonly string[] Skipped = ["bin", "obj", ".git", "node_modules", "TestResults"];

    private readonly string _root = Path.Combine(Path.GetTempPath(), "actorrpc-packing-" + Guid.NewGuid().ToString("N")[..8]);

    /// <summary>The version every package of this run carries.</summary>
    public string Version { get; } = "0.1.0-t" + DateTime.UtcNow.ToString("yyyyMMddHHmmss", CultureInfo.InvariantCulture);

    /// <summary>Where the packages went.</summary>
    public string Folder => Path.Combine(_root, "packages");

    /// <summary>A scratch folder outside the repository for the apps.</summary>
    public string Scratch => Path.Combine(_root, "apps");

    /// <summary>What <c>dotnet pack</c> printed, for failure messages.</summary>
    public string PackOutput { get; private set; } = string.Empty;

    /// <summary>Whether <c>dotnet pack</c> exited 0.</summary>
    public bool Packed { get; private set; }

    /// <summary>The variables a child dotnet must not inherit from the test host (they point MSBuild at the test run's own SDK state).</summary>
    public static IReadOnlyDictionary<string, string?> CleanEnvironment { get; } = Environment.GetEnvironmentVariables().Keys
        .Cast<string>()
        .Where(name => name.StartsWith("MSBUILD", StringComparison.OrdinalIgnoreCase) || name.StartsWith("VSTEST", StringComparison.OrdinalIgnoreCase))
        .ToDictionary(name => name, string? (_) => null)
        .Append(new KeyValuePair<string, string?>("DOTNET_CLI_TELEMETRY_OPTOUT", "1"))
        .Append(new KeyValuePair<string, string?>("DOTNET_NOLOGO", "1"))
        .ToDictionary();

    public async Task InitializeAsync()
    {
        var source = Path.Combine(_root, "source");
        Copy(new DirectoryInfo(ExternalProcess.RepositoryRoot()), source);
        Directory.CreateDirectory(Scratch);
        var suffix = Version[(Version.IndexOf('-', StringComparison.Ordinal) + 1)..];
        var (exitCode, output) = await ExternalProcess.RunAsync(
            "dotnet",
            ["pack", "ActorRpc.sln", "-c", "Release", "-o", Folder, "--version-suffix", suffix, "--disable-build-servers", "-nodeReuse:false"],
            source,
            PackTimeout,
            CleanEnvironment);
        Packed = exitCode == 0;
        PackOutput = output;
    }

    public Task DisposeAsync()
    {
        // This run's versions would otherwise stay in the machine's NuGet cache for good.
        var cache = Environment.GetEnvironmentVariable("NUGET_PACKAGES")
            ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        foreach (var id in new[] { "actorrpc.gateway", "actorrpc.actors", "actorrpc.methods" })
        {
            TryDelete(Path.Combine(cache, id, Version));
        }

        TryDelete(_root);
        return Task.CompletedTask;
    }

    private static void Copy(DirectoryInfo from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (var file in from.EnumerateFiles())
        {
            file.CopyTo(Path.Combine(to, file.Name));
        }

        foreach (var directory in from.EnumerateDirectories().Where(d => !Skipped.Contains(d.Name)))
        {
            Copy(directory, Path.Combine(to, directory.Name));
        }
    }

    private static void TryDelete(string path)
    {
        try
        {
            if (Directory.Exists(path))
            {
                Directory.Delete(path, recursive: true);
            }
        }
        catch (IOException)
        {
            // Best effort: a leftover temporary folder harms nothing.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
