using System.Diagnostics;
using System.Net.WebSockets;
using System.Text;

namespace ActorRpc.Bench.Load;

/// <summary>
/// The settings of one <c>fanout</c> run: subscribers spread round-robin over <paramref name="SubscriberUris"/>,
/// one publisher on <paramref name="PublisherUri"/>. <paramref name="MetricsUris"/> (optional) are the nodes'
/// /metrics pages, read before and after for the count of notifications sent to other nodes. The publisher
/// sends <paramref name="Rate"/> × <paramref name="Seconds"/> notifies paced at <paramref name="Rate"/>/s, or,
/// when <paramref name="Burst"/> is above 0, that many back to back without pacing (the throughput ceiling:
/// how fast the servers deliver when the publisher never waits).
/// </summary>
internal sealed record FanoutSettings(
    IReadOnlyList<Uri> SubscriberUris, Uri PublisherUri, int Subscribers, double Rate, double Seconds, int[] Pids, IReadOnlyList<Uri> MetricsUris,
    long Burst = 0);

/// <summary>
/// What one <c>fanout</c> run measured. CPU is the servers' over the first publish to the last delivery.
/// <see cref="Rate"/> is 0 for a burst (notifies sent back to back).
/// </summary>
internal sealed record FanoutResult(
    int Subscribers, double Rate, long Notifies, long Expected, long Delivered, long Lost, long OutOfOrder, double Seconds,
    double DeliveredPerSecond, double P50Us, double P99Us, double MaxUs, double ServerCpuUsPerDelivery, double? CrossNodePerNotify, double? CrossNodeBackgroundPerSecond);

/// <summary>
/// N subscribers to <c>news</c>; one publisher sends <c>publish</c> notifications at a fixed rate whose
/// data carries a sequence number and the send time, so each subscriber measures delivery latency,
/// loss and order itself.
/// </summary>
internal static class FanoutRun
{
    public const string ClusterSentCounter = "actorrpc_cluster_notifications_sent_total";
    private static readonly byte[] Subscribe = """{"jsonrpc":"2.0","method":"subscribe","params":["news"],"id":1}"""u8.ToArray();

    public static async Task<FanoutResult> RunAsync(FanoutSettings settings, CancellationToken cancellationToken)
    {
        var n = settings.Subscribers;
        var burst = settings.Burst > 0;
        var notifies = burst ? settings.Burst : Math.Max(1, (long)Math.Round(settings.Rate * settings.Seconds));
        var histogram = new LatencyHistogram();
        var received = new long[n];
        var maxSeen = new long[n];
        var outOfOrder = new long[n];
        var warm = new bool[n];
        var warmCount = 0;
        var allWarm = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var allDelivered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        long delivered = 0;
        long lastDelivery = 0;
        Array.Fill(maxSeen, -1);

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var sockets = await WsClient.ConnectManyAsync(settings.SubscriberUris, n, 32, WsClientOptions.ManyConnections, cancellationToken).ConfigureAwait(false);
        ClientWebSocket? publisher = null;
        try
        {
            var readers = new Task[n];
            for (var i = 0; i < n; i++)
            {
                var index = i;
                readers[i] = Task.Run(() => ReadAsync(index, sockets[index]), cancellationToken);
            }

            await Parallel.ForEachAsync(sockets, new ParallelOptions { MaxDegreeOfParallelism = 32, CancellationToken = cancellationToken }, async (s, ct) =>
                await WsClient.SendAsync(s, Subscribe, ct).ConfigureAwait(false)).ConfigureAwait(false);

            publisher = await WsClient.ConnectAsync(settings.PublisherUri, WsClientOptions.ManyConnections, cancellationToken).ConfigureAwait(false);
            var publisherSocket = publisher;
            var drain = Task.Run(async () =>
            {
                var buffer = new FrameBuffer(1024);
                while (await WsClient.ReceiveMessageAsync(publisherSocket, buffer, stop.Token).ConfigureAwait(false) >= 0)
                {
                }
            }, cancellationToken);

            // Subscriptions reach other nodes by gossip: warm-up notifies until every subscriber has one.
            using (var warmDeadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
            {
                warmDeadline.CancelAfter(TimeSpan.FromSeconds(60));
                while (!allWarm.Task.IsCompleted)
                {
                    await WsClient.SendAsync(publisher, Publish(-1), warmDeadline.Token).ConfigureAwait(false);
                    await Task.WhenAny(allWarm.Task, Task.Delay(200, warmDeadline.Token)).ConfigureAwait(false);
                }
            }

            // The window measures deliveries, not set-up: wait until the servers are done with the
            // connections, subscriptions and the JIT work they brought (bounded), whichever server it is.
            await Task.Delay(300, cancellationToken).ConfigureAwait(false);
            await ServerStats.WaitForQuietAsync(settings.Pids, TimeSpan.FromSeconds(5), cancellationToken).ConfigureAwait(false);

            // The counter also counts other topics' notifications (the demo clock ticks once a second
            // per node, retained, so it crosses even without subscribers): measure that background
            // over a quiet interval and take it off.
            var quietStart = Stopwatch.GetTimestamp();
            var quietBefore = await ScrapeAsync(settings.MetricsUris, cancellationToken).ConfigureAwait(false);
            double? background = null;
            if (quietBefore is not null)
            {
                await Task.Delay(TimeSpan.FromSeconds(3), cancellationToken).ConfigureAwait(false);
            }

            var sentBefore = await ScrapeAsync(settings.MetricsUris, cancellationToken).ConfigureAwait(false);
            var scrapedBefore = Stopwatch.GetTimestamp();
            if (quietBefore is { } q0 && sentBefore is { } q1)
            {
                background = (q1 - q0) / Stopwatch.GetElapsedTime(quietStart, scrapedBefore).TotalSeconds;
            }

            var cpuStart = ServerStats.CpuMicros(settings.Pids);
            var start = Stopwatch.GetTimestamp();
            long sent = 0;
            if (burst)
            {
                // Back to back: the publisher never waits, so the servers' delivery rate is the limit.
                for (; sent < notifies; sent++)
                {
                    await WsClient.SendAsync(publisher, Publish(sent), cancellationToken).ConfigureAwait(false);
                }
            }

            while (sent < notifies)
            {
                var due = Math.Min(notifies, (long)(Stopwatch.GetElapsedTime(start).TotalSeconds * settings.Rate) + 1);
                for (; sent < due; sent++)
                {
                    await WsClient.SendAsync(publisher, Publish(sent), cancellationToken).ConfigureAwait(false);
                }

                await Task.Delay(1, cancellationToken).ConfigureAwait(false);
            }

            var expected = notifies * n;
            // Up to 10 s after the last publish. A burst can still be draining then, so it waits on while
            // deliveries keep coming: 10 s without one ends it (what is missing then is lost).
            long seen;
            do
            {
                seen = Interlocked.Read(ref delivered);
                await Task.WhenAny(allDelivered.Task, Task.Delay(TimeSpan.FromSeconds(10), cancellationToken)).ConfigureAwait(false);
            }
            while (burst && !allDelivered.Task.IsCompleted && Interlocked.Read(ref delivered) != seen);
            var cpu = ServerStats.CpuMicros(settings.Pids) - cpuStart;
            var end = allDelivered.Task.IsCompleted ? Interlocked.Read(ref lastDelivery) : Stopwatch.GetTimestamp();
            var seconds = Stopwatch.GetElapsedTime(start, end).TotalSeconds;
            var sentAfter = await ScrapeAsync(settings.MetricsUris, cancellationToken).ConfigureAwait(false);
            var scrapeWindow = Stopwatch.GetElapsedTime(scrapedBefore).TotalSeconds;
            var got = Interlocked.Read(ref delivered);
            await stop.CancelAsync().ConfigureAwait(false);
            return new FanoutResult(
                n, burst ? 0 : settings.Rate, notifies, expected, got, Math.Max(0, expected - got), outOfOrder.Sum(), Math.Round(seconds, 3),
                Math.Round(got / seconds), histogram.Quantile(0.50), histogram.Quantile(0.99), histogram.Max,
                got == 0 ? 0 : Math.Round((double)cpu / got, 3),
                sentBefore is { } b && sentAfter is { } a ? Math.Round((a - b - ((background ?? 0) * scrapeWindow)) / notifies, 2) : null,
                background is { } bg ? Math.Round(bg, 2) : null);
        }
        finally
        {
            await stop.CancelAsync().ConfigureAwait(false);
            WsClient.AbortAll([.. sockets, publisher]);
        }

        async Task ReadAsync(int i, ClientWebSocket socket)
        {
            var buffer = new FrameBuffer(512);
            try
            {
                while (true)
                {
                    var count = await WsClient.ReceiveMessageAsync(socket, buffer, stop.Token).ConfigureAwait(false);
                    if (count < 0)
                    {
                        return;
                    }

                    var now = Stopwatch.GetTimestamp();
                    var frame = buffer.Bytes.AsSpan(0, count);
                    if (WsClient.ReadInteger(frame, "\"s\":"u8) is not { } seq)
                    {
                        continue; // the subscribe reply
                    }

                    if (seq < 0)
                    {
                        if (!warm[i])
                        {
                            warm[i] = true;
                            if (Interlocked.Increment(ref warmCount) == n)
                            {
                                allWarm.TrySetResult();
                            }
                        }

                        continue;
                    }

                    if (seq < maxSeen[i])
                    {
                        outOfOrder[i]++;
                    }
                    else
                    {
                        maxSeen[i] = seq;
                    }

                    received[i]++;
                    if (WsClient.ReadInteger(frame, "\"t\":"u8) is { } sentAt)
                    {
                        histogram.RecordTicks(now - sentAt);
                    }

                    Volatile.Write(ref lastDelivery, now);
                    if (Interlocked.Increment(ref delivered) == notifies * n)
                    {
                        allDelivered.TrySetResult();
                    }
                }
            }
            catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or ObjectDisposedException)
            {
            }
        }
    }

    private static byte[] Publish(long seq) =>
        Encoding.UTF8.GetBytes($"{{\"jsonrpc\":\"2.0\",\"method\":\"publish\",\"params\":{{\"topic\":\"news\",\"data\":{{\"s\":{seq},\"t\":{Stopwatch.GetTimestamp()}}}}}}}");

    private static async Task<double?> ScrapeAsync(IReadOnlyList<Uri> metrics, CancellationToken cancellationToken)
    {
        if (metrics.Count == 0)
        {
            return null;
        }

        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        double total = 0;
        foreach (var uri in metrics)
        {
            if (await ServerStats.ScrapeCounterAsync(http, uri, ClusterSentCounter, cancellationToken).ConfigureAwait(false) is not { } value)
            {
                return null;
            }

            total += value;
        }

        return total;
    }
}
