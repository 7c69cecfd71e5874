using System.Globalization;
using System.Reflection;
using System.Text.Json;

namespace ActorRpc.Bench.Load;

/// <summary>One measurement: which kind, which cell, which server, which repetition, and its numbers.</summary>
internal sealed record Sample(string Kind, string Cell, string Server, int Rep, IReadOnlyDictionary<string, double> Values);

/// <summary>
/// Starts ActorRpc and both baselines as Release processes, runs every cell on each server in turn
/// (A B C, then B C A in the next repetition, ...), then writes RESULTS.md, results.json and results.png.
/// </summary>
internal static class Matrix
{
    public const string ActorRpc = "ActorRpc";
    public const string Raw = "RawKestrel";
    public const string StreamJsonRpc = "StreamJsonRpc";

    public static async Task<int> RunAsync(Options options, CancellationToken cancellationToken)
    {
        var plan = options.Has("quick") ? MatrixPlan.Quick : MatrixPlan.Full;
        if (options.Has("reps"))
        {
            plan = plan with { Reps = options.Int("reps", plan.Reps), ClusterReps = options.Int("reps", plan.Reps) };
        }

        var root = ServerBinary.RepositoryRoot();
        var outDirectory = Path.GetFullPath(Path.Combine(root, options.Get("out", "bench")));
        var logDirectory = Path.Combine(root, "bench", ".load");
        Directory.CreateDirectory(logDirectory);
        File.WriteAllText(Path.Combine(logDirectory, ".gitignore"), "# Written by bench/Load\n*\n");
        var basePort = options.Int("base-port", 5400);
        string Dll(string project, string assembly) => Path.Combine(root, project, "bin", "Release", "net10.0", assembly + ".dll");

        var started = DateTimeOffset.UtcNow;
        var loadBefore = Machine.LoadAverage();
        var samples = new List<Sample>();
        var servers = new[]
        {
            new ServerProcess(ActorRpc, ServerBinary.RequireDll(root, "Release"), basePort,
                ["--Cluster:Port=0", "--Logging:LogLevel:Default=Warning"], logDirectory),
            new ServerProcess(Raw, Dll("bench/Baselines/RawKestrel", "ActorRpc.Bench.RawKestrel"), basePort + 1, [], logDirectory),
            new ServerProcess(StreamJsonRpc, Dll("bench/Baselines/StreamJsonRpcServer", "ActorRpc.Bench.StreamJsonRpcServer"), basePort + 2, [], logDirectory),
        };
        try
        {
            foreach (var server in servers)
            {
                await server.StartAsync(cancellationToken).ConfigureAwait(false);
            }

            for (var rep = 1; rep <= plan.Reps; rep++)
            {
                foreach (var (connections, depth) in plan.Rpc)
                {
                    foreach (var server in Rotate(servers, rep))
                    {
                        var r = await RpcRun.RunAsync(
                            new RpcSettings(server.WebSocketUri, "ping", null, connections, depth, plan.RpcWarmup, plan.RpcSeconds, [server.Pid]),
                            cancellationToken).ConfigureAwait(false);
                        Add(samples, "rpc", $"{connections}x{depth}", server.Name, rep, r);
                    }
                }

                foreach (var subscribers in plan.Fanout)
                {
                    foreach (var server in Rotate(servers, rep))
                    {
                        var r = await FanoutRun.RunAsync(
                            new FanoutSettings([server.WebSocketUri], server.WebSocketUri, subscribers, plan.FanoutRate(subscribers), plan.FanoutSeconds, [server.Pid], []),
                            cancellationToken).ConfigureAwait(false);
                        Add(samples, "fanout", $"{subscribers}", server.Name, rep, r);
                    }
                }
            }

            // Idle memory needs a fresh process each time: RSS only grows with what ran before.
            for (var rep = 1; rep <= plan.Reps; rep++)
            {
                foreach (var connections in plan.Idle)
                {
                    foreach (var server in Rotate(servers, rep))
                    {
                        await server.StartAsync(cancellationToken).ConfigureAwait(false);
                        var r = await IdleRun.RunAsync(new IdleSettings(server.WebSocketUri, connections, plan.IdleSettle, server.Pid), cancellationToken)
                            .ConfigureAwait(false);
                        server.Stop();
                        Add(samples, "idle", $"{connections}", server.Name, rep, r);
                    }
                }
            }
        }
        finally
        {
            foreach (var server in servers)
            {
                server.Dispose();
            }
        }

        await ClusterRun.RunAsync(plan, root, logDirectory, basePort + 10, samples, cancellationToken).ConfigureAwait(false);

        var machine = $"{Machine.Describe()}; load average {loadBefore} at the start, {Machine.LoadAverage()} at the end";
        var report = new Report(plan, samples, machine, options.Get("commit", "unknown"), started, DateTimeOffset.UtcNow);
        Directory.CreateDirectory(outDirectory);
        await File.WriteAllTextAsync(Path.Combine(outDirectory, "RESULTS.md"), report.Markdown(), cancellationToken).ConfigureAwait(false);
        await File.WriteAllTextAsync(Path.Combine(outDirectory, "results.json"),
            JsonSerializer.Serialize(samples, new JsonSerializerOptions { WriteIndented = true }), cancellationToken).ConfigureAwait(false);
        Chart.Write(report, Path.Combine(outDirectory, "results.png"));

        Console.WriteLine();
        Console.WriteLine(report.TargetsText());
        Console.WriteLine($"wrote {outDirectory}/RESULTS.md, results.json, results.png");
        Console.WriteLine(report.SummaryJson());
        return 0;
    }

    /// <summary>Adds every numeric property of a result record as a value, and prints the sample.</summary>
    public static void Add(List<Sample> samples, string kind, string cell, string server, int rep, object result)
    {
        var values = new Dictionary<string, double>();
        foreach (var property in result.GetType().GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            if (property.GetValue(result) is { } value && value is int or long or double)
            {
                values[property.Name] = Convert.ToDouble(value, CultureInfo.InvariantCulture);
            }
        }

        samples.Add(new Sample(kind, cell, server, rep, values));
        Console.WriteLine($"[{DateTime.Now:HH:mm:ss}] rep {rep} {kind,-7} {cell,-8} {server,-14} " +
            string.Join(' ', values.Select(kv => $"{kv.Key}={kv.Value.ToString("0.##", CultureInfo.InvariantCulture)}")));
    }

    /// <summary>The servers in turn, starting one further along each repetition, so no server always goes first.</summary>
    private static IEnumerable<ServerProcess> Rotate(ServerProcess[] servers, int rep) =>
        Enumerable.Range(0, servers.Length).Select(i => servers[(i + rep - 1) % servers.Length]);
}
