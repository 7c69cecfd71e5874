using System.Reflection;

namespace ActorRpc.Bench.Common;

/// <summary>
/// Where the ActorRpc server that the bench tools start as a process is built. Its project folder and
/// assembly are named once, in <c>bench/Directory.Build.props</c> (<c>BenchServerProject</c>,
/// <c>BenchServerAssembly</c>), and reach this class as assembly metadata, so the tools, the scripts and
/// the documentation cannot disagree about which binary is under test.
/// </summary>
public static class ServerBinary
{
    private const string TargetFramework = "net10.0";

    /// <summary>The server's project folder relative to the repository root, e.g. <c>src/DemoHost</c>.</summary>
    public static string Project { get; } = Metadata("BenchServerProject");

    /// <summary>The server's assembly name, e.g. <c>ActorRpc.DemoHost</c> (run as <c>dotnet NAME.dll</c>).</summary>
    public static string Assembly { get; } = Metadata("BenchServerAssembly");

    /// <summary>
    /// The configuration this library was built in. A tool and the libraries it references build in the
    /// same configuration, so this is the tool's too.
    /// </summary>
    public static string BuildConfiguration { get; } =
        typeof(ServerBinary).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Release";

    /// <summary>The server's <c>.dll</c> as <c>dotnet build -c <paramref name="configuration"/></c> leaves it.</summary>
    public static string DllPath(string repositoryRoot, string configuration) =>
        Path.Combine(repositoryRoot, Project, "bin", configuration, TargetFramework, Assembly + ".dll");

    /// <summary>
    /// The server's <c>.dll</c> in <paramref name="configuration"/>, or a <see cref="FileNotFoundException"/>
    /// that says how to build it (and, for tools that take one, which option overrides it).
    /// </summary>
    public static string RequireDll(string repositoryRoot, string configuration, string? overrideOption = null)
    {
        var path = DllPath(repositoryRoot, configuration);
        return File.Exists(path)
            ? path
            : throw new FileNotFoundException(
                $"The server is not built at {path}: dotnet build -c {configuration} {Project}" + (overrideOption is null ? "" : $", or pass {overrideOption}"),
                path);
    }

    /// <summary>The folder holding <c>ActorRpc.sln</c>, above the tool's own folder or else above the working directory.</summary>
    public static string RepositoryRoot()
    {
        foreach (var start in new[] { AppContext.BaseDirectory, Environment.CurrentDirectory })
        {
            for (var directory = new DirectoryInfo(start); directory is not null; directory = directory.Parent)
            {
                if (File.Exists(Path.Combine(directory.FullName, "ActorRpc.sln")))
                {
                    return directory.FullName;
                }
            }
        }

        throw new InvalidOperationException("Cannot find the repository root (ActorRpc.sln) above the tool or the working directory.");
    }

    private static string Metadata(string key) =>
        typeof(ServerBinary).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().SingleOrDefault(a => a.Key == key)?.Value
        ?? throw new InvalidOperationException($"{key} is missing from bench/Directory.Build.props.");
}
