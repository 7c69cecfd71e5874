using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;

namespace ActorRpc.Bench.Soak;

/// <summary>
/// Starts the cluster, runs the load with the half-time restart, samples memory, and reports. The
/// nodes it started are killed (by PID) on every way out: normal end, exception, Ctrl+C, SIGTERM,
/// or the run's own hard deadline.
/// </summary>
internal sealed class SoakRun(SoakOptions options)
{
    /// <summary>A subscribe reply is sent once the subscription is handed to the node's topics actor, not once it is registered.</summary>
    private static readonly TimeSpan SubscribeSettle = TimeSpan.FromMilliseconds(500);

    /// <summary>A subscriber connection that ended unexpectedly is not charged for publishes sent this close to its end.</summary>
    private static readonly TimeSpan EndMargin = TimeSpan.FromSeconds(1);

    private readonly SoakStats _stats = SoakStats.Instance;
    private readonly RestartWindow _window = new();
    private readonly List<ClusterNode> _nodes = [];
    private readonly string _run = Guid.NewGuid().ToString("N")[..12];
    private readonly long[] _rssBefore = new long[SoakOptions.Nodes + 1];
    private readonly long[] _rssAfter = new long[SoakOptions.Nodes + 1];
    private readonly long[] _heapBefore = new long[SoakOptions.Nodes + 1];
    private readonly long[] _heapAfter = new long[SoakOptions.Nodes + 1];
    private readonly List<string> _problems = [];
    private TimeSpan? _restartTime;
    private TimeSpan _clusterFormed;

    public async Task<int> RunAsync()
    {
        // Hard bound: the whole run, start-up and restart budgets included, then everything stops.
        var bound = options.StartTimeout * 2 + options.Duration + options.ReplyTimeout + options.Drain + options.Quiet + TimeSpan.FromMinutes(1);
        using var abort = new CancellationTokenSource(bound);
        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, Cancel);
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Cancel);
        using var sighup = PosixSignalRegistration.Create(PosixSignal.SIGHUP, Cancel);
        AppDomain.CurrentDomain.ProcessExit += (_, _) => KillAll();
        void Cancel(PosixSignalContext context)
        {
            context.Cancel = true;
            Console.Error.WriteLine($"[soak] {context.Signal}: stopping and killing the nodes");
            abort.Cancel();
        }

        try
        {
            await RunCoreAsync(abort.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (abort.IsCancellationRequested)
        {
            _problems.Add("the run was cut short (signal or the hard deadline) before it finished");
            Log("cut short; killing the nodes");
            KillAll();
            return 3;
        }
        catch (Exception ex)
        {
            Console.Error.WriteLine($"[soak] failed: {ex}");
            KillAll();
            return 4;
        }
        finally
        {
            KillAll();
        }

        return Report();
    }

    private async Task RunCoreAsync(CancellationToken abort)
    {
        var repo = ServerBinary.RepositoryRoot();
        // Absolute: each node runs with its working directory in the server's own folder.
        var server = options.Server is { } given
            ? Path.GetFullPath(given)
            : ServerBinary.RequireDll(repo, ServerBinary.BuildConfiguration, "--server (or run bench/soak.sh)");
        if (!File.Exists(server))
        {
            throw new FileNotFoundException($"--server {server} does not exist.", server);
        }

        var logs = options.LogDirectory ?? Path.Combine(repo, ".soak", DateTime.Now.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture));
        Directory.CreateDirectory(logs);
        var ignore = Path.Combine(Path.GetDirectoryName(logs)!, ".gitignore");
        if (options.LogDirectory is null && !File.Exists(ignore))
        {
            await File.WriteAllTextAsync(ignore, "# Written by bench/Soak\n*\n", abort).ConfigureAwait(false);
        }

        for (var i = 1; i <= SoakOptions.Nodes; i++)
        {
            foreach (var port in (int[])[options.HttpBasePort + i - 1, options.AkkaBasePort + i - 1])
            {
                if (ClusterNode.PortInUse(port))
                {
                    throw new InvalidOperationException($"Port {port} on 127.0.0.1 is in use; pick others with --http-base-port / --akka-base-port.");
                }
            }

            _nodes.Add(new ClusterNode(i, options.HttpBasePort + i - 1, options.AkkaBasePort + i - 1, options.AkkaBasePort, server, logs));
        }

        Log($"run {_run}: server {server}; node logs in {logs}");
        Log($"duration {options.Duration}, {options.Callers} callers x{options.Pipeline} at {options.CallRate}/s, {options.SubscribersPerNode} subscribers/node, " +
            $"publish {options.PublishRate}/s, churn {options.ChurnRate}/s; node{options.RestartNode} restarted at half time");

        // Start-up: the seed first, then the others; all must answer /healthz, then prove membership.
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var started = Stopwatch.GetTimestamp();
        using (var startup = CancellationTokenSource.CreateLinkedTokenSource(abort))
        {
            startup.CancelAfter(options.StartTimeout);
            _nodes[0].Start();
            await _nodes[0].WaitHealthyAsync(http, startup.Token).ConfigureAwait(false);
            foreach (var node in _nodes.Skip(1))
            {
                node.Start();
            }

            await Task.WhenAll(_nodes.Skip(1).Select(n => n.WaitHealthyAsync(http, startup.Token))).ConfigureAwait(false);
            Log($"all nodes answer /healthz ({Stopwatch.GetElapsedTime(started).TotalSeconds:F1}s); PIDs {string.Join(", ", _nodes.Select(n => n.Pid))}");
        }

        await using var probes = new Probes(_run);
        using (var startup = CancellationTokenSource.CreateLinkedTokenSource(abort))
        {
            startup.CancelAfter(options.StartTimeout);
            foreach (var node in _nodes)
            {
                await probes.SubscribeAsync(node, startup.Token).ConfigureAwait(false);
            }

            await probes.ConnectedAsync(_nodes, _nodes, startup.Token).ConfigureAwait(false);
        }

        _clusterFormed = Stopwatch.GetElapsedTime(started);
        Log($"cluster of {_nodes.Count} formed: a notify from each node reaches every node ({_clusterFormed.TotalSeconds:F1}s after start)");
        foreach (var node in _nodes)
        {
            node.MarkUp(true);
        }

        // Subscribers connect and subscribe, a few at a time; they stay until the drain ends.
        using var subscribersStop = CancellationTokenSource.CreateLinkedTokenSource(abort);
        var subscribers = _nodes.SelectMany(n => Enumerable.Range(0, options.SubscribersPerNode).Select(_ => new Subscriber(n, _run, _stats))).ToList();
        var subscriberTasks = new List<Task>();
        foreach (var batch in subscribers.Chunk(25))
        {
            subscriberTasks.AddRange(batch.Select(s => Task.Run(() => s.RunAsync(subscribersStop.Token), CancellationToken.None)));
            await Task.Delay(100, abort).ConfigureAwait(false);
        }

        var deadline = Stopwatch.GetTimestamp() + (60 * Stopwatch.Frequency);
        while (subscribers.Any(s => s.Sessions.Count == 0))
        {
            if (Stopwatch.GetTimestamp() > deadline)
            {
                throw new TimeoutException($"{subscribers.Count(s => s.Sessions.Count == 0)} subscribers could not subscribe within 60s.");
            }

            await Task.Delay(200, abort).ConfigureAwait(false);
        }

        Log($"{subscribers.Count} subscribers subscribed");

        // Warm-up (JIT, pools) with a light mix, counted apart, then the "before" memory sample.
        var warmStats = new SoakStats();
        using (var warm = CancellationTokenSource.CreateLinkedTokenSource(abort))
        {
            warm.CancelAfter(TimeSpan.FromSeconds(5));
            await new Callers(options with { Callers = 6, CallRate = 120 }, _nodes, warmStats).RunAsync(warm.Token).ConfigureAwait(false);
        }

        abort.ThrowIfCancellationRequested();
        await Task.Delay(TimeSpan.FromSeconds(2), abort).ConfigureAwait(false);
        await SampleMemoryAsync(_rssBefore, _heapBefore).ConfigureAwait(false);
        Log($"warm-up done ({warmStats.Nodes.Sum(n => n.Answered)} answers); RSS/managed heap before: {string.Join(", ", _nodes.Select(n => $"node{n.Index} {Mb(_rssBefore[n.Index])}/{Mb(_heapBefore[n.Index])}"))}");

        // The load.
        var publishers = _nodes.Select(n => new Publisher(n, _run, (double)options.PublishRate / _nodes.Count, options, _stats)).ToList();
        using var loadStop = CancellationTokenSource.CreateLinkedTokenSource(abort);
        loadStop.CancelAfter(options.Duration);
        var loadStarted = Stopwatch.GetTimestamp();
        var load = new List<Task>
        {
            new Callers(options, _nodes, _stats).RunAsync(loadStop.Token),
            new Churn(options, _nodes, _stats).RunAsync(loadStop.Token),
        };
        load.AddRange(publishers.Select(p => Task.Run(() => p.RunAsync(loadStop.Token), CancellationToken.None)));
        var restart = RestartAsync(_nodes[options.RestartNode - 1], probes, loadStarted, abort);
        var progress = ProgressAsync(publishers, subscribers, loadStarted, loadStop.Token);

        await Task.WhenAll(load).ConfigureAwait(false);
        await restart.ConfigureAwait(false);
        await progress.ConfigureAwait(false);
        abort.ThrowIfCancellationRequested();
        Log($"load stopped after {Stopwatch.GetElapsedTime(loadStarted).TotalSeconds:F0}s; draining {options.Drain.TotalSeconds:F0}s");

        await Task.Delay(options.Drain, abort).ConfigureAwait(false);
        await subscribersStop.CancelAsync().ConfigureAwait(false);
        await Task.WhenAll(subscriberTasks).ConfigureAwait(false);
        Analyze(publishers, subscribers);

        Log($"quiet for {options.Quiet.TotalSeconds:F0}s before the memory sample");
        await Task.Delay(options.Quiet, abort).ConfigureAwait(false);
        await SampleMemoryAsync(_rssAfter, _heapAfter).ConfigureAwait(false);
        foreach (var node in _nodes)
        {
            if (node.HasExited)
            {
                _problems.Add($"node{node.Index} is not running at the end (crashed?); see its log");
            }
        }
    }

    private async Task SampleMemoryAsync(long[] rss, long[] heap)
    {
        await Task.WhenAll(_nodes.Select(async node =>
        {
            rss[node.Index] = node.ReadRss() ?? 0;
            heap[node.Index] = node.Pid is { } pid ? await ManagedHeap.ReadAsync(pid, TimeSpan.FromSeconds(10)).ConfigureAwait(false) ?? 0 : 0;
        })).ConfigureAwait(false);
    }

    /// <summary>At half time: kill the node like a crash, start it again on the same ports, and wait until it is back in the cluster.</summary>
    private async Task RestartAsync(ClusterNode node, Probes probes, long loadStarted, CancellationToken abort)
    {
        var half = options.Duration / 2 - Stopwatch.GetElapsedTime(loadStarted);
        if (half > TimeSpan.Zero)
        {
            await Task.Delay(half, abort).ConfigureAwait(false);
        }

        var pid = node.Pid;
        _window.KillAt = Stopwatch.GetTimestamp();
        node.Kill();
        Log($"node{node.Index} (PID {pid}) killed; starting it again on the same ports");
        using var budget = CancellationTokenSource.CreateLinkedTokenSource(abort);
        budget.CancelAfter(options.StartTimeout);
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        try
        {
            for (var attempt = 1; ; attempt++)
            {
                node.Start();
                try
                {
                    await node.WaitHealthyAsync(http, budget.Token).ConfigureAwait(false);
                    break;
                }
                catch (InvalidOperationException) when (attempt < 3)
                {
                    // Exited at start-up (a port not yet free, say): try again.
                    Log($"node{node.Index} exited during restart attempt {attempt}; retrying");
                    await Task.Delay(2000, budget.Token).ConfigureAwait(false);
                }
            }

            await probes.SubscribeAsync(node, budget.Token).ConfigureAwait(false);
            await probes.ConnectedAsync(_nodes, _nodes, budget.Token).ConfigureAwait(false);
            _window.ReadyAt = Stopwatch.GetTimestamp();
            _restartTime = Stopwatch.GetElapsedTime(_window.KillAt, _window.ReadyAt);
            node.MarkUp(true);
            Log($"node{node.Index} back in the cluster (PID {node.Pid}) {_restartTime.Value.TotalSeconds:F1}s after the kill; its clients reconnect");
        }
        catch (OperationCanceledException) when (!abort.IsCancellationRequested)
        {
            _problems.Add($"node{node.Index} did not rejoin within {options.StartTimeout.TotalSeconds:F0}s of its restart");
            Log(_problems[^1]);
        }
    }

    private async Task ProgressAsync(List<Publisher> publishers, List<Subscriber> subscribers, long started, CancellationToken stop)
    {
        var every = TimeSpan.FromSeconds(options.Duration > TimeSpan.FromMinutes(3) ? 30 : 15);
        while (!stop.IsCancellationRequested)
        {
            await Subscriber.DelayAsync(every, stop).ConfigureAwait(false);
            var n = _stats.Nodes;
            Log($"t={Stopwatch.GetElapsedTime(started).TotalSeconds:F0}s sent={n.Sum(c => c.Sent)} answered={n.Sum(c => c.Answered)} " +
                $"lost={n.Sum(c => c.LostReplies)} published={publishers.Sum(p => p.Acknowledged)} delivered={subscribers.Sum(s => s.Received)} " +
                $"churn={_stats.ChurnCycles} rss=[{string.Join(", ", _nodes.Select(x => Mb(x.ReadRss() ?? 0)))}]");
        }
    }

    private sealed class NotificationCounts
    {
        public long Expected;
        public long Delivered;
        public long Lost;
        public long Received;
        public long Duplicates;
        public long OutOfOrder;
        public long Disconnects;
        public long SubscribeFailures;
    }

    private readonly NotificationCounts[] _notifications = Enumerable.Range(0, SoakOptions.Nodes + 1).Select(_ => new NotificationCounts()).ToArray();
    private readonly List<string> _lostSamples = [];
    private long _published;
    private long _publishedCounted;

    /// <summary>Applies the loss rule of README.md to every (subscriber, publish) pair.</summary>
    private void Analyze(List<Publisher> publishers, List<Subscriber> subscribers)
    {
        var settle = (long)(SubscribeSettle.TotalSeconds * Stopwatch.Frequency);
        var margin = (long)(EndMargin.TotalSeconds * Stopwatch.Frequency);
        var restarted = options.RestartNode;
        _published = publishers.Sum(p => p.Acknowledged);
        foreach (var publisher in publishers)
        {
            for (var seq = 0; seq < publisher.Count; seq++)
            {
                var e = publisher[seq];
                if (e.AckAt != 0 && !(publisher.Node.Index == restarted && _window.Covers(e.SentAt, e.AckAt)))
                {
                    _publishedCounted++;
                }
            }
        }

        foreach (var subscriber in subscribers)
        {
            var counts = _notifications[subscriber.Node.Index];
            counts.Received += subscriber.Received;
            counts.Duplicates += subscriber.Duplicates;
            counts.OutOfOrder += subscriber.OutOfOrder;
            counts.Disconnects += subscriber.UnexpectedDisconnects;
            counts.SubscribeFailures += subscriber.SubscribeFailures;
            var sessions = subscriber.Sessions;
            foreach (var publisher in publishers)
            {
                var p = publisher.Node.Index;
                for (var seq = 0; seq < publisher.Count; seq++)
                {
                    var e = publisher[seq];
                    if (e.AckAt == 0)
                    {
                        continue;
                    }

                    if ((p == restarted || subscriber.Node.Index == restarted) && _window.Covers(e.SentAt, e.AckAt))
                    {
                        continue;
                    }

                    if (!sessions.Any(s => s.SubscribedAt + settle <= e.SentAt && e.SentAt + margin <= s.EndedAt))
                    {
                        continue;
                    }

                    counts.Expected++;
                    if (subscriber.Has(p, seq))
                    {
                        counts.Delivered++;
                    }
                    else
                    {
                        counts.Lost++;
                        if (_lostSamples.Count < 10)
                        {
                            _lostSamples.Add($"subscriber on node{subscriber.Node.Index} missed p{p} #{seq} " +
                                $"(sent at t={Seconds(e.SentAt):F2}s, kill at t={(_window.KillAt == long.MaxValue ? double.NaN : Seconds(_window.KillAt)):F2}s)");
                        }
                    }
                }
            }
        }
    }

    private readonly long _epoch = Stopwatch.GetTimestamp();

    private double Seconds(long timestamp) => (double)(timestamp - _epoch) / Stopwatch.Frequency;

    private int Report()
    {
        var surviving = _nodes.Where(n => n.Index != options.RestartNode).Select(n => n.Index).ToArray();
        var n = _stats.Nodes;
        var lostReplies = surviving.Sum(i => n[i].LostReplies);
        var lostNotifications = surviving.Sum(i => _notifications[i].Lost);
        var outOfOrder = _notifications.Sum(c => c.OutOfOrder);
        var duplicates = _notifications.Sum(c => c.Duplicates);
        var survivingDisconnects = surviving.Sum(i => n[i].UnexpectedDisconnects + _notifications[i].Disconnects);
        var wrong = n.Sum(c => c.Wrong);

        Console.WriteLine();
        Console.WriteLine($"Soak {_run}: {options.Duration.TotalSeconds:F0}s, node{options.RestartNode} restarted at half time (surviving nodes: {string.Join(", ", surviving.Select(i => $"node{i}"))})");
        Console.WriteLine();
        Console.WriteLine("requests      sent  answered  errors   wrong  lost(timeout+cut)  cut-by-restart  unexpected-disconnects  connect-failures");
        for (var i = 1; i <= SoakOptions.Nodes; i++)
        {
            var c = n[i];
            Console.WriteLine($"node{i}{(i == options.RestartNode ? "*" : " ")}   {c.Sent,9} {c.Answered,9} {c.Errors,7} {c.Wrong,7} {c.TimedOut,8}+{c.CutUnexpectedly,-8} {c.CutByRestart,15} {c.UnexpectedDisconnects,23} {c.ConnectFailures,17}");
        }

        Console.WriteLine($"total    {n.Sum(c => c.Sent),9} {n.Sum(c => c.Answered),9} {n.Sum(c => c.Errors),7} {wrong,7} {n.Sum(c => c.TimedOut),8}+{n.Sum(c => c.CutUnexpectedly),-8} {n.Sum(c => c.CutByRestart),15}");
        Console.WriteLine($"errors by code: {string.Join(", ", _stats.ErrorsByCode.OrderBy(kv => kv.Key).Select(kv => $"{kv.Key}: {kv.Value}"))}");
        Console.WriteLine($"churn: {_stats.ChurnCycles} connections ({_stats.ChurnAborted} aborted, {_stats.ChurnClosed} closed cleanly, {_stats.ChurnFailed} failed to connect)");
        Console.WriteLine();
        Console.WriteLine($"notifications: {_published} publishes acknowledged ({_publishedCounted} outside node{options.RestartNode}'s restart window)");
        Console.WriteLine("subscribers   expected  delivered     lost  received  duplicates  out-of-order  disconnects  subscribe-failures");
        for (var i = 1; i <= SoakOptions.Nodes; i++)
        {
            var c = _notifications[i];
            Console.WriteLine($"node{i}{(i == options.RestartNode ? "*" : " ")}   {c.Expected,10} {c.Delivered,10} {c.Lost,8} {c.Received,9} {c.Duplicates,11} {c.OutOfOrder,13} {c.Disconnects,12} {c.SubscribeFailures,19}");
        }

        Console.WriteLine($"(* restarted node: its losses are reported, not gated)");
        Console.WriteLine();
        Console.WriteLine($"cluster formed in {_clusterFormed.TotalSeconds:F1}s; node{options.RestartNode} back {(_restartTime is { } r ? $"{r.TotalSeconds:F1}s" : "never")} after its kill");
        Console.WriteLine("memory        RSS before   RSS after   heap before  heap after");
        for (var i = 1; i <= SoakOptions.Nodes; i++)
        {
            Console.WriteLine($"node{i}{(i == options.RestartNode ? "*" : " ")}        {Mb(_rssBefore[i]),10} {Mb(_rssAfter[i]),11} {Mb(_heapBefore[i]),13} {Mb(_heapAfter[i]),11}{(i == options.RestartNode ? "  (after = the restarted process)" : string.Empty)}");
        }

        foreach (var sample in _stats.Samples.Concat(_lostSamples).Take(40))
        {
            Console.WriteLine($"  note: {sample}");
        }

        if (lostReplies > 0)
        {
            _problems.Add($"{lostReplies} replies lost on surviving nodes");
        }

        if (lostNotifications > 0)
        {
            _problems.Add($"{lostNotifications} notifications lost on surviving nodes");
        }

        if (survivingDisconnects > 0)
        {
            _problems.Add($"{survivingDisconnects} connections to surviving nodes dropped by the server");
        }

        if (wrong > 0)
        {
            _problems.Add($"{wrong} wrong answers");
        }

        foreach (var problem in _problems)
        {
            Console.WriteLine($"FAIL: {problem}");
        }

        var json = string.Create(CultureInfo.InvariantCulture,
            $$"""{"run":"{{_run}}","duration_s":{{options.Duration.TotalSeconds:F0}},"requests_sent":{{n.Sum(c => c.Sent)}},"answered":{{n.Sum(c => c.Answered)}},"errors_by_code":{{{string.Join(",", _stats.ErrorsByCode.OrderBy(kv => kv.Key).Select(kv => $"\"{kv.Key}\":{kv.Value}"))}}},"wrong_answers":{{wrong}},"lost_replies_surviving":{{lostReplies}},"lost_replies_restarted":{{n[options.RestartNode].LostReplies}},"cut_by_restart":{{n.Sum(c => c.CutByRestart)}},"churn_connections":{{_stats.ChurnCycles}},"published":{{_published}},"notifications_expected_surviving":{{surviving.Sum(i => _notifications[i].Expected)}},"notifications_delivered_surviving":{{surviving.Sum(i => _notifications[i].Delivered)}},"notifications_lost_surviving":{{lostNotifications}},"notifications_lost_restarted":{{_notifications[options.RestartNode].Lost}},"out_of_order":{{outOfOrder}},"duplicates":{{duplicates}},"unexpected_disconnects_surviving":{{survivingDisconnects}},"node_restart_s":{{(_restartTime is { } t ? t.TotalSeconds.ToString("F1", CultureInfo.InvariantCulture) : "null")}},"rss_before_mb":[{{string.Join(",", _rssBefore.Skip(1).Select(b => (b / 1048576.0).ToString("F0", CultureInfo.InvariantCulture)))}}],"rss_after_mb":[{{string.Join(",", _rssAfter.Skip(1).Select(b => (b / 1048576.0).ToString("F0", CultureInfo.InvariantCulture)))}}],"heap_before_mb":[{{string.Join(",", _heapBefore.Skip(1).Select(b => (b / 1048576.0).ToString("F1", CultureInfo.InvariantCulture)))}}],"heap_after_mb":[{{string.Join(",", _heapAfter.Skip(1).Select(b => (b / 1048576.0).ToString("F1", CultureInfo.InvariantCulture)))}}],"pass":{{(_problems.Count == 0 ? "true" : "false")}}}""");
        Console.WriteLine(json);
        return _problems.Count == 0 ? 0 : 1;
    }

    private void KillAll()
    {
        foreach (var node in _nodes)
        {
            node.Dispose();
        }
    }

    private static string Mb(long bytes) => bytes == 0 ? "?" : $"{bytes / 1048576.0:F1} MB";

    private static void Log(string message) => Console.WriteLine($"[soak {DateTime.Now:HH:mm:ss}] {message}");
}
