using System.Diagnostics;
using System.Globalization;
using System.Net.WebSockets;
using ActorRpc.Bench.Soak;

namespace ActorRpc.Bench.IdleProbe;

/// <summary>
/// Server memory per idle WebSocket. Starts a server as a separate process (the ActorRpc node of
/// <see cref="ServerBinary"/>, or
/// with <c>--server baseline</c> a raw Kestrel WebSocket server from this assembly), warms it up,
/// reads its RSS and live managed heap (after an induced full GC), opens the connections in steps
/// (e.g. 2,000 then 10,000 in all), waits for RSS to settle, reads again, and prints the growth per
/// connection. Then sends one <c>ping</c> on every open connection, checks every one answers, and
/// reads the memory once more (a connection that has read one message). Loopback only; stops
/// itself after 10 minutes and kills the server it started on every way out.
/// </summary>
internal static class Program
{
    private static readonly byte[] PingRequest = """{"jsonrpc":"2.0","id":1,"method":"ping"}"""u8.ToArray();
    private static readonly byte[] PingReply = """{"jsonrpc":"2.0","id":1,"result":"pong"}"""u8.ToArray();

    // 1 KB buffers and a 30 s handshake limit; ClientWebSocket's own connection handling (one source address).
    private static readonly WsClientOptions ClientOptions = new() { BufferSize = 1024, ConnectTimeout = TimeSpan.FromSeconds(30) };

    public static async Task<int> Main(string[] args)
    {
        if (args is ["--serve-baseline", var listen])
        {
            await BaselineServer.RunAsync(listen).ConfigureAwait(false);
            return 0;
        }

        var steps = new List<int> { 2_000, 10_000 };
        var server = "gateway";
        var port = 5400;
        var hold = TimeSpan.Zero;
        for (var i = 0; i + 1 < args.Length; i += 2)
        {
            switch (args[i])
            {
                case "--connections":
                    steps = [.. args[i + 1].Split(',').Select(s => int.Parse(s, CultureInfo.InvariantCulture))];
                    break;
                case "--server":
                    server = args[i + 1];
                    break;
                case "--hold":
                    // Keeps the connections open this long at the end, e.g. for dotnet-gcdump on the server.
                    hold = TimeSpan.FromSeconds(int.Parse(args[i + 1], CultureInfo.InvariantCulture));
                    break;
                case "--port":
                    port = int.Parse(args[i + 1], CultureInfo.InvariantCulture);
                    break;
                default:
                    Console.Error.WriteLine($"unknown option {args[i]}");
                    return 2;
            }
        }

        using var abort = new CancellationTokenSource(TimeSpan.FromMinutes(10));
        var url = $"http://127.0.0.1:{port}";
        Process process;
        try
        {
            process = StartServer(server, url);
        }
        catch (Exception ex) when (ex is FileNotFoundException or ArgumentException)
        {
            Console.Error.WriteLine($"[idle] {ex.Message}");
            return 2;
        }

        using var _ = process;
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            abort.Cancel();
        };

        var clients = new List<ClientWebSocket>();
        try
        {
            var code = await RunAsync(server, process, new Uri($"ws://127.0.0.1:{port}/rpc"), steps, clients, abort.Token).ConfigureAwait(false);
            if (hold > TimeSpan.Zero)
            {
                Console.WriteLine($"[idle] holding {clients.Count} connections for {hold.TotalSeconds:F0} s (server pid {process.Id})");
                await Task.Delay(hold, abort.Token).ConfigureAwait(false);
            }

            return code;
        }
        catch (Exception ex)
        {
            Console.Error.WriteLine($"[idle] failed: {ex.Message}");
            return 4;
        }
        finally
        {
            try
            {
                process.Kill(entireProcessTree: true);
            }
            catch (InvalidOperationException)
            {
                // Already gone.
            }

            foreach (var client in clients)
            {
                client.Abort();
                client.Dispose();
            }
        }
    }

    private static async Task<int> RunAsync(string server, Process process, Uri uri, List<int> steps, List<ClientWebSocket> clients, CancellationToken abort)
    {
        await WaitForServerAsync(uri, abort).ConfigureAwait(false);

        // Warm-up: JIT the accept, session and ping paths, fill the pools, then let them go.
        var warm = await OpenAsync(uri, 100, abort).ConfigureAwait(false);
        await PingAllAsync(warm, abort).ConfigureAwait(false);
        foreach (var socket in warm)
        {
            await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, string.Empty, abort).ConfigureAwait(false);
            socket.Dispose();
        }

        await Task.Delay(TimeSpan.FromSeconds(3), abort).ConfigureAwait(false);
        var before = await MeasureAsync(process, abort).ConfigureAwait(false);
        Console.WriteLine($"[idle] {server} pid {process.Id}: after warm-up RSS {before.RssKb / 1024.0:F1} MB, live heap {before.HeapKb / 1024.0:F1} MB");

        var failed = false;
        foreach (var target in steps)
        {
            clients.AddRange(await OpenAsync(uri, target - clients.Count, abort).ConfigureAwait(false));
            var idle = await MeasureAsync(process, abort).ConfigureAwait(false);
            Report(server, "idle", clients.Count, before, idle);

            var answered = await PingAllAsync(clients, abort).ConfigureAwait(false);
            var afterPing = await MeasureAsync(process, abort).ConfigureAwait(false);
            Report(server, "after ping", clients.Count, before, afterPing);
            Console.WriteLine($"[idle] {server} n={clients.Count}: {answered}/{clients.Count} answered ping");
            failed |= answered != clients.Count;
        }

        return failed ? 1 : 0;
    }

    private static void Report(string server, string phase, int n, Sample before, Sample now) =>
        Console.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"[idle] {server} n={n} {phase}: RSS {now.RssKb / 1024.0:F1} MB, {(now.RssKb - before.RssKb) / (double)n:F2} KB/conn; live heap {now.HeapKb / 1024.0:F1} MB, {(now.HeapKb - before.HeapKb) / (double)n:F2} KB/conn"));

    private static Process StartServer(string server, string url)
    {
        var self = typeof(Program).Assembly.Location;
        string[] args = server switch
        {
            "gateway" => [ServerBinary.RequireDll(ServerBinary.RepositoryRoot(), ServerBinary.BuildConfiguration), "--urls", url, "--ActorRpc:Endpoint:MaxConnections=20000", "--Logging:LogLevel:Default=Warning"],
            "baseline" => [self, "--serve-baseline", url],
            _ => throw new ArgumentException($"--server is gateway or baseline, not {server}"),
        };
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };

        // Each server with its own GC unless DOTNET_gcServer says otherwise: the ActorRpc node's is workstation
        // (its csproj says why); the baseline, a plain Kestrel app, gets the Web SDK's default, server GC.
        if (server == "baseline" && Environment.GetEnvironmentVariable("DOTNET_gcServer") is null)
        {
            info.Environment["DOTNET_gcServer"] = "1";
        }
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        var process = Process.Start(info) ?? throw new InvalidOperationException("could not start the server");
        process.OutputDataReceived += (_, e) => Echo(e.Data);
        process.ErrorDataReceived += (_, e) => Echo(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;

        static void Echo(string? line)
        {
            if (line is not null)
            {
                Console.WriteLine($"  [server] {line}");
            }
        }
    }

    private static async Task WaitForServerAsync(Uri uri, CancellationToken abort)
    {
        for (var attempt = 0; attempt < 120; attempt++)
        {
            try
            {
                using var probe = await WsClient.ConnectAsync(uri, ClientOptions, abort).ConfigureAwait(false);
                if (await PingAsync(probe, abort).ConfigureAwait(false))
                {
                    await probe.CloseAsync(WebSocketCloseStatus.NormalClosure, string.Empty, abort).ConfigureAwait(false);
                    return;
                }
            }
            catch (Exception ex) when (ex is WebSocketException or HttpRequestException or OperationCanceledException && !abort.IsCancellationRequested)
            {
                // Not up yet.
            }

            await Task.Delay(500, abort).ConfigureAwait(false);
        }

        throw new TimeoutException("the server did not answer a ping within a minute");
    }

    private static async Task<List<ClientWebSocket>> OpenAsync(Uri uri, int count, CancellationToken abort)
    {
        var opened = new ClientWebSocket[count];
        var next = -1;
        var watch = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, 32).Select(async _ =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < count)
            {
                opened[i] = await WsClient.ConnectAsync(uri, ClientOptions, abort).ConfigureAwait(false);
            }
        })).ConfigureAwait(false);
        Console.WriteLine($"[idle] opened {count} connections in {watch.Elapsed.TotalSeconds:F1} s");
        return [.. opened];
    }

    private static async Task<int> PingAllAsync(IReadOnlyList<ClientWebSocket> sockets, CancellationToken abort)
    {
        var answered = 0;
        var next = -1;
        await Task.WhenAll(Enumerable.Range(0, 64).Select(async _ =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < sockets.Count)
            {
                try
                {
                    if (await PingAsync(sockets[i], abort).ConfigureAwait(false))
                    {
                        Interlocked.Increment(ref answered);
                    }
                }
                catch (Exception ex) when (ex is WebSocketException or OperationCanceledException && !abort.IsCancellationRequested)
                {
                    // Counted as unanswered.
                }
            }
        })).ConfigureAwait(false);
        return answered;
    }

    private static async Task<bool> PingAsync(ClientWebSocket socket, CancellationToken abort)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(abort);
        timeout.CancelAfter(TimeSpan.FromSeconds(30));
        await WsClient.SendAsync(socket, PingRequest, timeout.Token).ConfigureAwait(false);
        var buffer = new FrameBuffer(256);
        var length = await WsClient.ReceiveMessageAsync(socket, buffer, timeout.Token).ConfigureAwait(false);
        return length >= 0 && buffer.Bytes.AsSpan(0, length).SequenceEqual(PingReply);
    }

    /// <summary>Induces a full GC in the server (reading its live heap), then waits for RSS to settle and reads it.</summary>
    private static async Task<Sample> MeasureAsync(Process process, CancellationToken abort)
    {
        var heap = await ManagedHeap.ReadAsync(process.Id, TimeSpan.FromSeconds(30)).ConfigureAwait(false) ?? -1;
        var last = ReadRssKb(process.Id);
        for (var i = 0; i < 30; i++)
        {
            await Task.Delay(1000, abort).ConfigureAwait(false);
            var now = ReadRssKb(process.Id);
            var settled = Math.Abs(now - last) < Math.Max(256, last / 200);
            last = now;
            if (settled)
            {
                break;
            }
        }

        return new Sample(last, heap < 0 ? -1 : heap / 1024);
    }

    private static long ReadRssKb(int pid)
    {
        foreach (var line in File.ReadLines($"/proc/{pid}/status"))
        {
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
            {
                return long.Parse(line["VmRSS:".Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
            }
        }

        throw new InvalidOperationException("no VmRSS");
    }

    private readonly record struct Sample(long RssKb, long HeapKb);
}
