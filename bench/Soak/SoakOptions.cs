using System.Globalization;

namespace ActorRpc.Bench.Soak;

/// <summary>The soak's settings, from <c>--name value</c> pairs; every one has a default sized for a shared 2-core machine.</summary>
internal sealed record SoakOptions
{
    public TimeSpan Duration { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>Caller connections (spread round-robin over the nodes), each pipelining up to <see cref="Pipeline"/> requests.</summary>
    public int Callers { get; init; } = 64;

    public int Pipeline { get; init; } = 4;

    /// <summary>Requests per second over all callers together.</summary>
    public int CallRate { get; init; } = 300;

    /// <summary>Subscriber connections per node.</summary>
    public int SubscribersPerNode { get; init; } = 100;

    /// <summary>Publishes per second over all publishers together (one publisher per node).</summary>
    public int PublishRate { get; init; } = 50;

    /// <summary>Churn connections started per second, and how many may be open at once.</summary>
    public int ChurnRate { get; init; } = 4;

    public int ChurnConcurrency { get; init; } = 8;

    /// <summary>A reply that has not come within this long is lost.</summary>
    public TimeSpan ReplyTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>After the load stops: how long subscribers get to receive the last notifications.</summary>
    public TimeSpan Drain { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>After the drain: quiet time before the "after" memory sample, so the nodes can collect.</summary>
    public TimeSpan Quiet { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Budget for starting the cluster and for the restarted node to rejoin.</summary>
    public TimeSpan StartTimeout { get; init; } = TimeSpan.FromSeconds(90);

    public int HttpBasePort { get; init; } = 5310;

    public int AkkaBasePort { get; init; } = 4310;

    /// <summary>The server dll to run; by default <see cref="ServerBinary"/>'s build in this tool's configuration.</summary>
    public string? Server { get; init; }

    /// <summary>Node logs go here; by default <c>&lt;repo&gt;/.soak</c>.</summary>
    public string? LogDirectory { get; init; }

    /// <summary>The node restarted at half time (1-based; node 1 is the seed and cannot be it).</summary>
    public int RestartNode { get; init; } = 3;

    public const int Nodes = 3;

    public static string Usage => """
        usage: dotnet run --project bench/Soak -c Release -- [options]
          --duration 10m        load time (s, m or h suffix, or hh:mm:ss); node 3 is restarted at half time
          --callers 64          caller connections         --pipeline 4       outstanding requests per caller
          --call-rate 300       requests/s, all callers    --subscribers 100  subscribers per node
          --publish-rate 50     publishes/s, all nodes     --churn-rate 4     churn connections/s
          --churn-concurrency 8 --reply-timeout 10s        --drain 5s         --quiet 10s
          --start-timeout 90s   --http-base-port 5310      --akka-base-port 4310
          --server <dll>        --log-dir <dir>            --restart-node 3
        """;

    public static SoakOptions Parse(string[] args)
    {
        var options = new SoakOptions();
        for (var i = 0; i < args.Length; i++)
        {
            var name = args[i];
            if (name is "-h" or "--help")
            {
                throw new ArgumentException(Usage);
            }

            if (i + 1 >= args.Length)
            {
                throw new ArgumentException($"{name} needs a value.\n{Usage}");
            }

            var value = args[++i];
            options = name switch
            {
                "--duration" => options with { Duration = ParseDuration(value) },
                "--callers" => options with { Callers = ParseCount(value, name) },
                "--pipeline" => options with { Pipeline = ParseCount(value, name) },
                "--call-rate" => options with { CallRate = ParseCount(value, name) },
                "--subscribers" => options with { SubscribersPerNode = ParseCount(value, name) },
                "--publish-rate" => options with { PublishRate = ParseCount(value, name) },
                "--churn-rate" => options with { ChurnRate = ParseCount(value, name, min: 0) },
                "--churn-concurrency" => options with { ChurnConcurrency = ParseCount(value, name) },
                "--reply-timeout" => options with { ReplyTimeout = ParseDuration(value) },
                "--drain" => options with { Drain = ParseDuration(value) },
                "--quiet" => options with { Quiet = ParseDuration(value) },
                "--start-timeout" => options with { StartTimeout = ParseDuration(value) },
                "--http-base-port" => options with { HttpBasePort = ParseCount(value, name) },
                "--akka-base-port" => options with { AkkaBasePort = ParseCount(value, name) },
                // --gateway: the option's name from when the Gateway was the runnable node.
                "--server" or "--gateway" => options with { Server = value },
                "--log-dir" => options with { LogDirectory = value },
                "--restart-node" => options with { RestartNode = ParseCount(value, name, min: 2) },
                _ => throw new ArgumentException($"Unknown option {name}.\n{Usage}"),
            };
        }

        if (options.RestartNode > Nodes)
        {
            throw new ArgumentException($"--restart-node must be between 2 and {Nodes}.");
        }

        if (options.Duration < TimeSpan.FromSeconds(20))
        {
            throw new ArgumentException("--duration must be at least 20s (the restarted node needs time to rejoin).");
        }

        return options;
    }

    /// <summary>"90s", "10m", "1h", "500ms" or a TimeSpan ("00:10:00").</summary>
    public static TimeSpan ParseDuration(string value)
    {
        var v = value.Trim();
        double Number(int suffix) => double.Parse(v[..^suffix], NumberStyles.Float, CultureInfo.InvariantCulture);
        if (v.EndsWith("ms", StringComparison.Ordinal))
        {
            return TimeSpan.FromMilliseconds(Number(2));
        }

        return v[^1] switch
        {
            's' => TimeSpan.FromSeconds(Number(1)),
            'm' => TimeSpan.FromMinutes(Number(1)),
            'h' => TimeSpan.FromHours(Number(1)),
            _ => TimeSpan.Parse(v, CultureInfo.InvariantCulture),
        };
    }

    private static int ParseCount(string value, string name, int min = 1)
    {
        if (!int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) || n < min)
        {
            throw new ArgumentException($"{name} must be an integer >= {min} (got '{value}').");
        }

        return n;
    }
}
