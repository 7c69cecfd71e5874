using System.Diagnostics;
using System.Diagnostics.Tracing;
using Microsoft.Diagnostics.Tracing;

namespace ActorRpc.Bench.Micro;

/// <summary>
/// What one request allocates, by type: <c>alloc-profile [pings]</c> starts this program again
/// with an EventPipe trace of the runtime's GCSampledObjectAllocationHigh keyword, lets it run the
/// Dispatch benchmark's ping in a loop between two marker events, and sums each type's objects and
/// bytes per ping over that window.
/// </summary>
/// <remarks>
/// The keyword must be on when the process starts (it switches the allocation helpers), hence the
/// second process. The runtime samples (at most about 100 events per type per second), but each
/// event carries the count and size of every allocation of its type since the last one, so the
/// sums are close to exact (within a percent or two over 200,000 pings). The allocation path is
/// slower with the keyword on: this says where the bytes go; the benchmark says how many there are.
/// </remarks>
internal static class AllocationProfile
{
    private const string ChildMode = "alloc-profile-run";

    // GC (0x1), Type (0x80000), GCSampledObjectAllocationHigh (0x200000) and GCHeapAndTypeNames
    // (0x1000000: without it the type events carry ids but empty names), verbose.
    private const string RuntimeProviders = "Microsoft-Windows-DotNETRuntime:0x1280001:5";

    public static int Run(string[] args)
    {
        if (args[0] == ChildMode)
        {
            RunPings(int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture));
            return 0;
        }

        var pings = args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 200_000;
        var trace = Path.Combine(Path.GetTempPath(), $"actorrpc-alloc-{Environment.ProcessId}.nettrace");
        var start = new ProcessStartInfo(Environment.ProcessPath!) { UseShellExecute = false };
        if (Path.GetFileNameWithoutExtension(Environment.ProcessPath) == "dotnet")
        {
            start.ArgumentList.Add(typeof(AllocationProfile).Assembly.Location);
        }

        start.ArgumentList.Add(ChildMode);
        start.ArgumentList.Add(pings.ToString(System.Globalization.CultureInfo.InvariantCulture));
        start.Environment["DOTNET_EnableEventPipe"] = "1";
        start.Environment["DOTNET_EventPipeOutputPath"] = trace;
        start.Environment["DOTNET_EventPipeConfig"] = $"{RuntimeProviders},{Marks.SourceName}:0:5";
        using (var child = Process.Start(start)!)
        {
            child.WaitForExit();
            if (child.ExitCode != 0)
            {
                Console.Error.WriteLine($"The profiled run failed (exit code {child.ExitCode}).");
                return child.ExitCode;
            }
        }

        Print(trace, pings);
        File.Delete(trace);

        return 0;
    }

    private static void RunPings(int pings)
    {
        var bench = new DispatchBenchmarks();
        bench.Setup();
        try
        {
            // Warm up (JIT tiers, first-use allocations, pools), and keep pinging for a while on both
            // sides of the window: the allocations an event reports straddle its edges, and Print
            // shares them out by time, which is right when the rate is the same on both sides.
            PingFor(TimeSpan.FromSeconds(2), bench);
            Marks.Log.Start();
            for (var i = 0; i < pings; i++)
            {
                bench.Ping();
            }

            Marks.Log.Stop();
            PingFor(TimeSpan.FromSeconds(1), bench);
        }
        finally
        {
            bench.Cleanup();
        }
    }

    private static void PingFor(TimeSpan duration, DispatchBenchmarks bench)
    {
        var until = Stopwatch.GetTimestamp() + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        while (Stopwatch.GetTimestamp() < until)
        {
            bench.Ping();
        }
    }

    private static void Print(string trace, int pings)
    {
        var samples = new List<(ulong TypeId, double Time, long Count, long Bytes)>();
        var names = new Dictionary<ulong, string>();
        double start = 0, stop = 0;
        using (var source = new EventPipeEventSource(trace))
        {
            // The runtime names each type once, in a BulkType event, before its first sampled allocation.
            source.Clr.TypeBulkType += e =>
            {
                for (var i = 0; i < e.Count; i++)
                {
                    var value = e.Values(i);
                    names[value.TypeID] = value.TypeName;
                }
            };
            source.Clr.GCSampledObjectAllocation += e =>
                samples.Add((e.TypeID, e.TimeStampRelativeMSec, e.ObjectCountForTypeSample, e.TotalSizeForTypeSample));

            // The markers arrive without their manifest: known by the source's GUID and the event's number.
            var marks = EventSource.GetGuid(typeof(Marks));
            source.AllEvents += e =>
            {
                if (e.ProviderGuid == marks)
                {
                    if ((int)e.ID == Marks.StartEvent)
                    {
                        start = e.TimeStampRelativeMSec;
                    }
                    else
                    {
                        stop = e.TimeStampRelativeMSec;
                    }
                }
            };
            source.Process();
        }

        // Each event reports its type's allocations since that type's previous event: count the
        // share of that interval that lies inside the window.
        var byTypeId = new Dictionary<ulong, (double Count, double Bytes)>();
        var previous = new Dictionary<ulong, double>();
        foreach (var (typeId, time, count, bytes) in samples)
        {
            double share;
            if (previous.TryGetValue(typeId, out var from) && time > from)
            {
                share = Math.Max(0, Math.Min(time, stop) - Math.Max(from, start)) / (time - from);
            }
            else
            {
                share = time >= start && time <= stop ? 1 : 0; // A type's first event: when it came is all we know.
            }

            previous[typeId] = time;
            if (share == 0)
            {
                continue;
            }

            var (c, b) = byTypeId.GetValueOrDefault(typeId);
            byTypeId[typeId] = (c + (count * share), b + (bytes * share));
        }

        var byType = byTypeId
            .GroupBy(kv => names.TryGetValue(kv.Key, out var name) ? name : $"type 0x{kv.Key:x}", StringComparer.Ordinal)
            .Select(g => (Name: g.Key, Count: g.Sum(kv => kv.Value.Count), Bytes: g.Sum(kv => kv.Value.Bytes)))
            .OrderByDescending(t => t.Bytes)
            .ToList();
        Console.WriteLine(
            $"Allocations per ping over {pings:N0} pings (whole process): {(double)byType.Sum(t => t.Count) / pings:F1} objects, {(double)byType.Sum(t => t.Bytes) / pings:F0} bytes");
        Console.WriteLine();
        Console.WriteLine("| Type | Objects/ping | Bytes/ping |");
        Console.WriteLine("|---|---:|---:|");
        foreach (var (name, count, bytes) in byType)
        {
            if ((double)count / pings >= 0.01)
            {
                Console.WriteLine($"| `{name}` | {(double)count / pings:F2} | {(double)bytes / pings:F1} |");
            }
        }
    }

    /// <summary>Marks the measured window in the trace.</summary>
    [EventSource(Name = SourceName)]
    private sealed class Marks : EventSource
    {
        public const string SourceName = "ActorRpc-Bench-Micro";

        public static readonly Marks Log = new();

        public const int StartEvent = 1;
        public const int StopEvent = 2;

        [Event(StartEvent)]
        public void Start() => WriteEvent(StartEvent);

        [Event(StopEvent)]
        public void Stop() => WriteEvent(StopEvent);
    }
}
