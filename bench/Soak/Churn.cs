namespace ActorRpc.Bench.Soak;

/// <summary>
/// Short-lived connections at a bounded rate: connect to a random node that is up, call, subscribe,
/// leave a slow call outstanding, then abort (no close handshake, TCP reset) or close cleanly.
/// Their ping and subscribe replies count like the callers'; the slow call is abandoned on purpose
/// and not counted.
/// </summary>
internal sealed class Churn(SoakOptions options, IReadOnlyList<ClusterNode> nodes, SoakStats stats)
{
    public async Task RunAsync(CancellationToken stop)
    {
        if (options.ChurnRate == 0)
        {
            return;
        }

        var random = new Random(42);
        using var slots = new SemaphoreSlim(options.ChurnConcurrency);
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1.0 / options.ChurnRate));
        var running = new List<Task>();
        while (await Publisher.TickAsync(timer, stop).ConfigureAwait(false))
        {
            running.RemoveAll(t => t.IsCompleted);
            var up = nodes.Where(n => n.IsUp).ToArray();
            if (up.Length == 0 || !slots.Wait(0, CancellationToken.None))
            {
                continue;
            }

            var node = up[random.Next(up.Length)];
            var abort = random.Next(2) == 0;
            var hold = TimeSpan.FromMilliseconds(random.Next(0, 500));
            running.Add(Task.Run(async () =>
            {
                try
                {
                    await CycleAsync(node, abort, hold, stop).ConfigureAwait(false);
                }
                finally
                {
                    slots.Release();
                }
            }, CancellationToken.None));
        }

        await Task.WhenAll(running).ConfigureAwait(false);
    }

    private async Task CycleAsync(ClusterNode node, bool abort, TimeSpan hold, CancellationToken stop)
    {
        RpcConnection connection;
        try
        {
            connection = await SoakConnection.ConnectAsync(node, null, stop).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            if (node.IsUp && !stop.IsCancellationRequested)
            {
                Interlocked.Increment(ref stats.ChurnFailed);
                Interlocked.Increment(ref stats.Nodes[node.Index].ConnectFailures);
                stats.Sample($"node{node.Index}: churn connect failed: {ex.Message}");
            }

            return;
        }

        await using (connection.ConfigureAwait(false))
        {
            Interlocked.Increment(ref stats.ChurnCycles);
            await Callers.CallAndCountAsync(connection, node, "ping", null, "\"pong\"", null, options.ReplyTimeout, stats, stop).ConfigureAwait(false);
            await Callers.CallAndCountAsync(connection, node, "subscribe", """["news"]""", """["news"]""", null, options.ReplyTimeout, stats, stop).ConfigureAwait(false);
            try
            {
                // Outstanding when the connection goes: the server must cancel it and drop its reply.
                var abandoned = await connection.SendRequestAsync("sleep", "[2000]", CancellationToken.None).ConfigureAwait(false);
                _ = abandoned.ContinueWith(static t => t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
            }
            catch (ConnectionLostException)
            {
            }

            await Subscriber.DelayAsync(hold, stop).ConfigureAwait(false);
            if (abort)
            {
                connection.Abort();
                Interlocked.Increment(ref stats.ChurnAborted);
            }
            else
            {
                await connection.CloseAsync().ConfigureAwait(false);
                Interlocked.Increment(ref stats.ChurnClosed);
            }
        }
    }
}
