namespace ActorRpc.Bench.Load;

/// <summary>Where the numbers came from: cores, CPU model, kernel, runtime.</summary>
internal static class Machine
{
    public static string Describe()
    {
        var model = File.Exists("/proc/cpuinfo")
            ? File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim()
            : null;
        var kernel = File.Exists("/proc/sys/kernel/osrelease") ? File.ReadAllText("/proc/sys/kernel/osrelease").Trim() : "?";
        return $"{Environment.ProcessorCount} cores (nproc), {model ?? "unknown CPU"}, Linux {kernel}, .NET {Environment.Version}";
    }

    /// <summary>The 1, 5 and 15-minute load averages, to show whether other work shared the machine.</summary>
    public static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "?";
}
