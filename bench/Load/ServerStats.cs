using System.Globalization;

namespace ActorRpc.Bench.Load;

/// <summary>What the kernel says about the server processes: CPU time and resident memory.</summary>
internal static class ServerStats
{
    /// <summary>USER_HZ: the unit of /proc/&lt;pid&gt;/stat times, 100 on Linux whatever the kernel's HZ.</summary>
    private const long ClockTicksPerSecond = 100;

    /// <summary>utime + stime of every process, in µs (10 ms resolution); 0 for a PID that is gone.</summary>
    public static long CpuMicros(IEnumerable<int> pids)
    {
        long total = 0;
        foreach (var pid in pids)
        {
            try
            {
                var stat = File.ReadAllText($"/proc/{pid}/stat");

                // The command name may hold spaces and parentheses; the fields after its last ')' are fixed.
                var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                var utime = long.Parse(fields[11], CultureInfo.InvariantCulture);
                var stime = long.Parse(fields[12], CultureInfo.InvariantCulture);
                total += (utime + stime) * 1_000_000 / ClockTicksPerSecond;
            }
            catch (IOException)
            {
            }
        }

        return total;
    }

    /// <summary>
    /// Waits until the processes together use under a tenth of a core over a quarter second, or
    /// <paramref name="limit"/> passed. No-op without PIDs.
    /// </summary>
    public static async Task WaitForQuietAsync(IReadOnlyCollection<int> pids, TimeSpan limit, CancellationToken cancellationToken)
    {
        if (pids.Count == 0)
        {
            return;
        }

        var interval = TimeSpan.FromMilliseconds(250);
        var deadline = DateTime.UtcNow + limit;
        var before = CpuMicros(pids);
        while (DateTime.UtcNow < deadline)
        {
            await Task.Delay(interval, cancellationToken).ConfigureAwait(false);
            var now = CpuMicros(pids);
            if (now - before < interval.TotalMicroseconds / 10)
            {
                return;
            }

            before = now;
        }
    }

    /// <summary>VmRSS of the process in bytes; 0 when it is gone.</summary>
    public static long RssBytes(int pid)
    {
        try
        {
            foreach (var line in File.ReadLines($"/proc/{pid}/status"))
            {
                if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
                {
                    return long.Parse(line["VmRSS:".Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture) * 1024;
                }
            }
        }
        catch (IOException)
        {
        }

        return 0;
    }

    /// <summary>
    /// The sum of one Prometheus counter over its series, from a /metrics page: 0 when the page has no
    /// such series (the exporter shows a counter only once it has counted), null when the page did not answer.
    /// </summary>
    public static async Task<double?> ScrapeCounterAsync(HttpClient http, Uri metrics, string name, CancellationToken cancellationToken)
    {
        string text;
        try
        {
            text = await http.GetStringAsync(metrics, cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException)
        {
            return null;
        }

        double sum = 0;
        foreach (var line in text.Split('\n'))
        {
            if (line.StartsWith(name, StringComparison.Ordinal) && line.Length > name.Length && (line[name.Length] is ' ' or '{'))
            {
                var value = line[(line.LastIndexOf(' ') + 1)..];
                sum += double.Parse(value, CultureInfo.InvariantCulture);
            }
        }

        return sum;
    }
}
