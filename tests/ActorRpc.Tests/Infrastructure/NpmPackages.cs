using System.Text.Json.Nodes;

namespace ActorRpc.Tests.Infrastructure;

/// <summary>
/// The npm packages a spec runs with (a folder with package.json and package-lock.json), installed
/// with <c>npm ci</c> from the lock file. The first run needs the npm registry (or a warm npm cache);
/// later runs install again only when node_modules no longer matches the lock file: a bumped lock, or
/// an <c>npm ci</c> that stopped half-way (npm writes node_modules/.package-lock.json last).
/// </summary>
public static class NpmPackages
{
    private static readonly TimeSpan NpmTimeout = TimeSpan.FromMinutes(3);

    /// <summary>Runs <c>npm ci</c> in <paramref name="folder"/> unless its node_modules matches its package-lock.json.</summary>
    public static async Task EnsureInstalledAsync(string folder)
    {
        if (IsInstalled(folder))
        {
            return;
        }

        var install = await ExternalProcess.RunAsync("npm", ["ci", "--no-audit", "--no-fund"], folder, NpmTimeout);
        Assert.True(install.ExitCode == 0, $"npm ci failed in {folder} (the first run needs the npm registry):\n{install.Output}");
    }

    /// <summary>
    /// Whether node_modules/.package-lock.json (npm's record of what it installed) lists the same
    /// packages as package-lock.json, whose only extra entry is the project itself ("").
    /// </summary>
    public static bool IsInstalled(string folder)
    {
        var installedPath = Path.Combine(folder, "node_modules", ".package-lock.json");
        if (!File.Exists(installedPath))
        {
            return false;
        }

        try
        {
            var locked = JsonNode.Parse(File.ReadAllText(Path.Combine(folder, "package-lock.json")))?["packages"]?.AsObject().DeepClone().AsObject();
            var installed = JsonNode.Parse(File.ReadAllText(installedPath))?["packages"];
            locked?.Remove(string.Empty);
            return locked is not null && JsonNode.DeepEquals(locked, installed);
        }
        catch (System.Text.Json.JsonException)
        {
            return false;
        }
    }
}
