using System.Diagnostics;
using System.Net.WebSockets;
using System.Text;

namespace ActorRpc.Bench.Load;

/// <summary>The settings of one <c>rpc</c> run.</summary>
internal sealed record RpcSettings(Uri Uri, string Method, string? Params, int Connections, int Depth, double WarmupSeconds, double Seconds, int[] Pids);

/// <summary>What one <c>rpc</c> run measured. Latencies in µs; CPU is the servers' utime+stime over the measured window.</summary>
internal sealed record RpcResult(
    int Connections, int Depth, string Method, double Seconds, long Requests, long Errors, double RequestsPerSecond,
    double P50Us, double P90Us, double P99Us, double MaxUs, double ServerCpuUsPerRequest, double ServerCpuCores);

/// <summary>
/// C connections, each keeping D requests in flight (closed loop: a reply frees its slot, which
/// sends the next request at once). The request id is the slot, so replies may come in any order.
/// </summary>
internal static class RpcRun
{
    private const int Warmup = 0;
    private const int Measuring = 1;
    private const int Stopped = 2;

    public static async Task<RpcResult> RunAsync(RpcSettings settings, CancellationToken cancellationToken)
    {
        var requests = new ReadOnlyMemory<byte>[settings.Depth];
        for (var slot = 0; slot < settings.Depth; slot++)
        {
            var paramsPart = settings.Params is null ? "" : $",\"params\":{settings.Params}";
            requests[slot] = Encoding.UTF8.GetBytes($"{{\"jsonrpc\":\"2.0\",\"method\":\"{settings.Method}\"{paramsPart},\"id\":{slot}}}");
        }

        var sockets = await WsClient.ConnectManyAsync([settings.Uri], settings.Connections, 32, WsClientOptions.ManyConnections, cancellationToken).ConfigureAwait(false);
        var histogram = new LatencyHistogram();
        var phase = Warmup;
        long completed = 0;
        long errors = 0;
        try
        {
            var loops = sockets.Select(socket => Task.Run(() => ConnectionAsync(socket), cancellationToken)).ToArray();
            await Task.Delay(TimeSpan.FromSeconds(settings.WarmupSeconds), cancellationToken).ConfigureAwait(false);

            var cpuStart = ServerStats.CpuMicros(settings.Pids);
            var start = Stopwatch.GetTimestamp();
            Volatile.Write(ref phase, Measuring);
            await Task.Delay(TimeSpan.FromSeconds(settings.Seconds), cancellationToken).ConfigureAwait(false);
            Volatile.Write(ref phase, Stopped);
            var elapsed = Stopwatch.GetElapsedTime(start).TotalSeconds;
            var cpu = ServerStats.CpuMicros(settings.Pids) - cpuStart;

            // Let the requests still in flight come back (bounded), so the servers see a clean end.
            await Task.WhenAny(Task.WhenAll(loops), Task.Delay(TimeSpan.FromSeconds(5), cancellationToken)).ConfigureAwait(false);
            var done = Interlocked.Read(ref completed);
            return new RpcResult(
                settings.Connections, settings.Depth, settings.Method, Math.Round(elapsed, 3), done, Interlocked.Read(ref errors),
                Math.Round(done / elapsed), histogram.Quantile(0.50), histogram.Quantile(0.90), histogram.Quantile(0.99), histogram.Max,
                done == 0 ? 0 : Math.Round((double)cpu / done, 2), Math.Round(cpu / 1e6 / elapsed, 2));
        }
        finally
        {
            WsClient.AbortAll(sockets);
        }

        async Task ConnectionAsync(ClientWebSocket socket)
        {
            var sentAt = new long[settings.Depth];
            var buffer = new FrameBuffer(1024);
            var inFlight = 0;
            try
            {
                for (var slot = 0; slot < settings.Depth; slot++)
                {
                    sentAt[slot] = Stopwatch.GetTimestamp();
                    inFlight++;
                    await WsClient.SendAsync(socket, requests[slot], cancellationToken).ConfigureAwait(false);
                }

                while (inFlight > 0)
                {
                    var count = await WsClient.ReceiveMessageAsync(socket, buffer, cancellationToken).ConfigureAwait(false);
                    if (count < 0)
                    {
                        Interlocked.Increment(ref errors);
                        return;
                    }

                    var now = Stopwatch.GetTimestamp();
                    var frame = buffer.Bytes.AsSpan(0, count);
                    if (WsClient.ReadInteger(frame, "\"id\":"u8) is not { } id || id < 0 || id >= settings.Depth)
                    {
                        // Not an answer to us (a server notification, say): not a request slot.
                        continue;
                    }

                    inFlight--;
                    var current = Volatile.Read(ref phase);
                    if (current == Measuring)
                    {
                        if (frame.IndexOf("\"result\""u8) < 0)
                        {
                            Interlocked.Increment(ref errors);
                        }

                        Interlocked.Increment(ref completed);
                        histogram.RecordTicks(now - sentAt[id]);
                    }

                    if (current != Stopped)
                    {
                        sentAt[id] = Stopwatch.GetTimestamp();
                        inFlight++;
                        await WsClient.SendAsync(socket, requests[id], cancellationToken).ConfigureAwait(false);
                    }
                }
            }
            catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or ObjectDisposedException)
            {
                if (Volatile.Read(ref phase) != Stopped)
                {
                    Interlocked.Increment(ref errors);
                }
            }
        }
    }
}
