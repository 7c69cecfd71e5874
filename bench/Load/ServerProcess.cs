using System.Diagnostics;
using System.Net;

namespace ActorRpc.Bench.Load;

/// <summary>
/// One server under test as its own <c>dotnet X.dll --urls http://127.0.0.1:PORT</c> process, output to a
/// log file; stopped by killing its PID (never by name).
/// </summary>
internal sealed class ServerProcess(string name, string dll, int port, IReadOnlyList<string> extraArguments, string logDirectory) : IDisposable
{
    private Process? _process;

    public string Name { get; } = name;

    public Uri WebSocketUri { get; } = new($"ws://127.0.0.1:{port}/rpc");

    public int Pid => _process?.Id ?? throw new InvalidOperationException($"{Name} is not running.");

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        Stop();
        if (ClusterNode.PortInUse(port))
        {
            throw new InvalidOperationException($"port {port} on 127.0.0.1 is already in use (pass --base-port)");
        }

        var start = new ProcessStartInfo("dotnet") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(dll);
        start.ArgumentList.Add("--urls");
        start.ArgumentList.Add($"http://127.0.0.1:{port}");
        foreach (var argument in extraArguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        var log = new StreamWriter(Path.Combine(logDirectory, $"{Name}.log"), append: true) { AutoFlush = true };
        var process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, e) => ClusterNode.Write(log, e.Data);
        process.ErrorDataReceived += (_, e) => ClusterNode.Write(log, e.Data);
        process.Exited += (_, _) => log.Dispose();
        process.EnableRaisingEvents = true;
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _process = process;

        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        using var startup = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        startup.CancelAfter(TimeSpan.FromSeconds(60));
        while (true)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"{Name} exited during start-up; see {logDirectory}/{Name}.log");
            }

            try
            {
                using var response = await http.GetAsync(new Uri($"http://127.0.0.1:{port}/healthz"), startup.Token).ConfigureAwait(false);
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException) when (!startup.IsCancellationRequested)
            {
            }

            await Task.Delay(200, startup.Token).ConfigureAwait(false);
        }
    }

    public void Stop()
    {
        if (_process is { } process)
        {
            try
            {
                if (!process.HasExited)
                {
                    process.Kill(entireProcessTree: true);
                    process.WaitForExit(10_000);
                }
            }
            catch (InvalidOperationException)
            {
            }

            process.Dispose();
            _process = null;
        }
    }

    public void Dispose() => Stop();
}
