using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace ActorRpc.Bench.Common;

/// <summary>
/// One ActorRpc node as its own <c>dotnet SERVER.dll</c> process on loopback (the server of
/// <see cref="ServerBinary"/>), with fixed HTTP and Akka.Remote ports (the same settings as
/// deploy/local-cluster.sh), so it can be killed like a crash and started again at the same address.
/// </summary>
public sealed class ClusterNode : IDisposable
{
    /// <summary>The loopback address every node listens on.</summary>
    public const string Host = "127.0.0.1";
    private const string SystemName = "actor-rpc";

    private readonly string _serverDll;
    private readonly string _logDirectory;
    private readonly int _seedAkkaPort;
    private readonly object _gate = new();
    private Process? _process;
    private StreamWriter? _log;
    private int _starts;

    public ClusterNode(int index, int httpPort, int akkaPort, int seedAkkaPort, string serverDll, string logDirectory)
    {
        Index = index;
        HttpPort = httpPort;
        AkkaPort = akkaPort;
        _seedAkkaPort = seedAkkaPort;
        _serverDll = serverDll;
        _logDirectory = logDirectory;
        WebSocketUri = new Uri($"ws://{Host}:{httpPort}/rpc");
        HealthUri = new Uri($"http://{Host}:{httpPort}/healthz");
    }

    /// <summary>1-based; node 1 is the seed.</summary>
    public int Index { get; }

    public int HttpPort { get; }

    public int AkkaPort { get; }

    public Uri WebSocketUri { get; }

    public Uri HealthUri { get; }

    /// <summary>
    /// Clients may connect: the node answered /healthz and, after a restart, proved it is back in
    /// the cluster. Clients of a node that is not up wait instead of reconnecting.
    /// </summary>
    public bool IsUp => Volatile.Read(ref _up);

    private bool _up;

    public int? Pid
    {
        get
        {
            lock (_gate)
            {
                return _process is { HasExited: false } p ? p.Id : null;
            }
        }
    }

    public bool HasExited
    {
        get
        {
            lock (_gate)
            {
                return _process is null || _process.HasExited;
            }
        }
    }

    public void MarkUp(bool up) => Volatile.Write(ref _up, up);

    public void Start()
    {
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = Path.GetDirectoryName(_serverDll)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        string[] arguments =
        [
            _serverDll,
            "--urls", $"http://{Host}:{HttpPort}",
            $"--Cluster:Hostname={Host}",
            $"--Cluster:Port={AkkaPort}",
            "--Logging:LogLevel:Default=Warning",
            // Akka logs under this one category; at Information it shows membership changes (joins, unreachable, downing).
            "--Logging:LogLevel:Akka.Actor.ActorSystem=Information",
        ];
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        if (Index > 1)
        {
            start.ArgumentList.Add($"--Cluster:SeedNodes:0=akka.tcp://{SystemName}@{Host}:{_seedAkkaPort}");
        }

        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";

        lock (_gate)
        {
            _starts++;
            _log?.Dispose();
            _log = new StreamWriter(Path.Combine(_logDirectory, $"node{Index}.{_starts}.log"), append: false) { AutoFlush = true };
            var log = _log;
            var process = new Process { StartInfo = start };
            process.OutputDataReceived += (_, e) => Write(log, e.Data);
            process.ErrorDataReceived += (_, e) => Write(log, e.Data);
            process.Start();
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            _process?.Dispose();
            _process = process;
        }
    }

    /// <summary>Waits for /healthz to answer 200; fails if the process exits first.</summary>
    public async Task WaitHealthyAsync(HttpClient http, CancellationToken cancellationToken)
    {
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (HasExited)
            {
                throw new InvalidOperationException($"node{Index} exited during start-up; see its log in {_logDirectory}.");
            }

            try
            {
                using var response = await http.GetAsync(HealthUri, cancellationToken).ConfigureAwait(false);
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                // The request's own timeout.
            }

            await Task.Delay(250, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Kills the process at once (no leave, no close frames), like a crash, and waits for it to be gone.</summary>
    public void Kill()
    {
        MarkUp(false);
        lock (_gate)
        {
            if (_process is { HasExited: false } process)
            {
                try
                {
                    process.Kill(entireProcessTree: true);
                    process.WaitForExit(10_000);
                }
                catch (InvalidOperationException)
                {
                    // It exited meanwhile.
                }
            }
        }
    }

    /// <summary>Resident set size in bytes, from /proc/&lt;pid&gt;/status (VmRSS), or null when unknown.</summary>
    public long? ReadRss()
    {
        if (Pid is not { } pid)
        {
            return null;
        }

        try
        {
            foreach (var line in File.ReadLines($"/proc/{pid}/status"))
            {
                if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
                {
                    var kb = line["VmRSS:".Length..].Trim().Split(' ')[0];
                    return long.Parse(kb, CultureInfo.InvariantCulture) * 1024;
                }
            }
        }
        catch (IOException)
        {
        }

        return null;
    }

    /// <summary>True when something already accepts connections on 127.0.0.1:<paramref name="port"/>.</summary>
    public static bool PortInUse(int port)
    {
        try
        {
            using var listener = new TcpListener(IPAddress.Loopback, port);
            listener.Start();
            return false;
        }
        catch (SocketException)
        {
            return true;
        }
    }

    public void Dispose()
    {
        Kill();
        lock (_gate)
        {
            _process?.Dispose();
            _process = null;
            _log?.Dispose();
            _log = null;
        }
    }

    /// <summary>Appends a line of a child process's output to its log; shared with bench/Load's server processes.</summary>
    public static void Write(StreamWriter log, string? line)
    {
        if (line is null)
        {
            return;
        }

        try
        {
            lock (log)
            {
                log.WriteLine(line);
            }
        }
        catch (ObjectDisposedException)
        {
        }
    }
}
