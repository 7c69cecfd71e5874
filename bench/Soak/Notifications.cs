using System.Diagnostics;
using System.Globalization;
using System.Text.Json;

namespace ActorRpc.Bench.Soak;

/// <summary>
/// When the restarted node was unavailable, in <see cref="Stopwatch"/> ticks: from
/// <see cref="Excluded"/> before the kill until it proved it is back in the cluster (a probe
/// crossed from it to every other node and back).
/// </summary>
internal sealed class RestartWindow
{
    /// <summary>
    /// A publish the restarted node acknowledged just before the kill may still sit in its topics
    /// actor or its outbound remoting queue: the ack means "handed to the node", not "delivered".
    /// </summary>
    public static readonly TimeSpan Excluded = TimeSpan.FromSeconds(2);

    public long KillAt { get; set; } = long.MaxValue;

    public long ReadyAt { get; set; } = long.MaxValue;

    public bool Covers(long sentAt, long ackAt) =>
        KillAt != long.MaxValue && ackAt >= KillAt - (long)(Excluded.TotalSeconds * Stopwatch.Frequency) && sentAt <= ReadyAt;
}

/// <summary>A set of sequence numbers that grows as needed (one bit each).</summary>
internal sealed class SeqSet
{
    private ulong[] _bits = new ulong[64];

    public bool Contains(int seq) => seq >> 6 < _bits.Length && (_bits[seq >> 6] & (1UL << (seq & 63))) != 0;

    public void Add(int seq)
    {
        if (seq >> 6 >= _bits.Length)
        {
            Array.Resize(ref _bits, Math.Max(_bits.Length * 2, (seq >> 6) + 1));
        }

        _bits[seq >> 6] |= 1UL << (seq & 63);
    }
}

/// <summary>One publisher per node: publishes <c>{"soak":run,"p":node,"seq":n}</c> to <c>news</c>, one at a time, each after the previous one's ack.</summary>
internal sealed class Publisher(ClusterNode node, string run, double rate, SoakOptions options, SoakStats stats)
{
    /// <summary>One publish: when it was sent and acknowledged (Stopwatch ticks; 0 when never acknowledged with <c>true</c>).</summary>
    public readonly record struct Entry(long SentAt, long AckAt);

    private readonly List<Entry> _log = [];

    public ClusterNode Node => node;

    public int Count
    {
        get
        {
            lock (_log)
            {
                return _log.Count;
            }
        }
    }

    public Entry this[int seq]
    {
        get
        {
            lock (_log)
            {
                return _log[seq];
            }
        }
    }

    public int Acknowledged
    {
        get
        {
            lock (_log)
            {
                return _log.Count(e => e.AckAt != 0);
            }
        }
    }

    public async Task RunAsync(CancellationToken stop)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1 / rate));
        RpcConnection? connection = null;
        var counters = stats.Nodes[node.Index];
        try
        {
            while (await TickAsync(timer, stop).ConfigureAwait(false))
            {
                if (connection is null || !connection.IsOpen)
                {
                    if (connection is not null)
                    {
                        await connection.DisposeAsync().ConfigureAwait(false);
                        connection = null;
                    }

                    if (!node.IsUp)
                    {
                        continue;
                    }

                    try
                    {
                        connection = await SoakConnection.ConnectAsync(node, null, stop).ConfigureAwait(false);
                    }
                    catch (Exception ex) when (!stop.IsCancellationRequested)
                    {
                        if (node.IsUp)
                        {
                            Interlocked.Increment(ref counters.ConnectFailures);
                            stats.Sample($"node{node.Index}: publisher connect failed: {ex.Message}");
                        }

                        continue;
                    }
                }

                int seq;
                lock (_log)
                {
                    seq = _log.Count;
                    _log.Add(new Entry(Stopwatch.GetTimestamp(), 0));
                }

                var parameters = string.Create(CultureInfo.InvariantCulture, $$$"""{"topic":"news","data":{"soak":"{{{run}}}","p":{{{node.Index}}},"seq":{{{seq}}}}}""");
                Task<RpcReply> pending;
                try
                {
                    pending = await connection.SendRequestAsync("publish", parameters, CancellationToken.None).ConfigureAwait(false);
                }
                catch (ConnectionLostException)
                {
                    continue;
                }

                Interlocked.Increment(ref counters.Sent);
                try
                {
                    var reply = await pending.WaitAsync(options.ReplyTimeout, CancellationToken.None).ConfigureAwait(false);
                    Interlocked.Increment(ref counters.Answered);
                    if (reply.ErrorCode is { } code)
                    {
                        stats.Error(node.Index, code);
                        Interlocked.Increment(ref counters.Wrong);
                        stats.Sample($"node{node.Index}: publish {seq} failed with {code}");
                    }
                    else if (reply.Result == "true")
                    {
                        lock (_log)
                        {
                            _log[seq] = _log[seq] with { AckAt = Stopwatch.GetTimestamp() };
                        }
                    }
                }
                catch (TimeoutException)
                {
                    Interlocked.Increment(ref counters.TimedOut);
                    stats.Sample($"node{node.Index}: publish {seq} not answered within {options.ReplyTimeout.TotalSeconds}s");
                }
                catch (ConnectionLostException ex)
                {
                    if (node.IsUp)
                    {
                        Interlocked.Increment(ref counters.CutUnexpectedly);
                        stats.Sample($"node{node.Index}: publish {seq} lost with its connection: {ex.Message}");
                    }
                    else
                    {
                        Interlocked.Increment(ref counters.CutByRestart);
                    }
                }
            }
        }
        finally
        {
            if (connection is not null)
            {
                await connection.CloseAsync().ConfigureAwait(false);
                await connection.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    internal static async Task<bool> TickAsync(PeriodicTimer timer, CancellationToken stop)
    {
        try
        {
            return await timer.WaitForNextTickAsync(stop).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }
}

/// <summary>
/// A subscriber of <c>news</c> on one node. Each connection is a session: from its subscribe ack
/// to its end. It records every soak notification per publisher, and counts duplicates and
/// out-of-order ones (per publisher, order must hold within a session).
/// </summary>
internal sealed class Subscriber(ClusterNode node, string run, SoakStats stats)
{
    /// <summary>A subscribe that was answered at <see cref="SubscribedAt"/>; <see cref="EndedAt"/> is long.MaxValue while it lasts.</summary>
    public sealed class Session
    {
        public long SubscribedAt { get; init; }

        public long EndedAt { get; set; } = long.MaxValue;

        public int[] Last { get; } = Enumerable.Repeat(-1, SoakOptions.Nodes + 1).ToArray();
    }

    private readonly object _gate = new();
    private readonly SeqSet[] _received = Enumerable.Range(0, SoakOptions.Nodes + 1).Select(_ => new SeqSet()).ToArray();
    private readonly List<Session> _sessions = [];
    private Session? _current;

    public ClusterNode Node => node;

    public long Received;
    public long Duplicates;
    public long OutOfOrder;
    public long UnexpectedDisconnects;
    public long SubscribeFailures;

    public IReadOnlyList<Session> Sessions
    {
        get
        {
            lock (_gate)
            {
                return [.. _sessions];
            }
        }
    }

    public bool Has(int publisher, int seq)
    {
        lock (_gate)
        {
            return _received[publisher].Contains(seq);
        }
    }

    /// <summary>Stays subscribed until <paramref name="stop"/>; resubscribes on a new connection when its node is back.</summary>
    public async Task RunAsync(CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            if (!node.IsUp)
            {
                await DelayAsync(TimeSpan.FromMilliseconds(200), stop).ConfigureAwait(false);
                continue;
            }

            RpcConnection connection;
            try
            {
                connection = await SoakConnection.ConnectAsync(node, OnNotification, stop).ConfigureAwait(false);
            }
            catch (Exception ex) when (!stop.IsCancellationRequested)
            {
                if (node.IsUp)
                {
                    Interlocked.Increment(ref stats.Nodes[node.Index].ConnectFailures);
                    stats.Sample($"node{node.Index}: subscriber connect failed: {ex.Message}");
                }

                await DelayAsync(TimeSpan.FromSeconds(1), stop).ConfigureAwait(false);
                continue;
            }
            catch (OperationCanceledException)
            {
                return;
            }

            await using (connection.ConfigureAwait(false))
            {
                try
                {
                    var reply = await connection.CallAsync("subscribe", """["news"]""", TimeSpan.FromSeconds(10), stop).ConfigureAwait(false);
                    if (reply.Result is null || !reply.Result.Contains("\"news\"", StringComparison.Ordinal))
                    {
                        throw new InvalidOperationException($"subscribe answered {reply.Result ?? $"error {reply.ErrorCode}"}");
                    }
                }
                catch (Exception ex) when (!stop.IsCancellationRequested)
                {
                    if (node.IsUp)
                    {
                        Interlocked.Increment(ref SubscribeFailures);
                        stats.Sample($"node{node.Index}: subscribe failed: {ex.Message}");
                    }

                    continue;
                }
                catch (OperationCanceledException)
                {
                    return;
                }

                var session = new Session { SubscribedAt = Stopwatch.GetTimestamp() };
                lock (_gate)
                {
                    _sessions.Add(session);
                    _current = session;
                }

                var closed = await Task.WhenAny(connection.Closed, Task.Delay(Timeout.Infinite, stop)).ConfigureAwait(false);
                lock (_gate)
                {
                    session.EndedAt = Stopwatch.GetTimestamp();
                    _current = null;
                }

                if (closed == connection.Closed && node.IsUp && !stop.IsCancellationRequested)
                {
                    Interlocked.Increment(ref UnexpectedDisconnects);
                    stats.Sample($"node{node.Index}: subscriber connection lost while the node was up: {connection.Closed.Result}");
                }

                if (stop.IsCancellationRequested)
                {
                    await connection.CloseAsync().ConfigureAwait(false);
                }
            }
        }
    }

    private void OnNotification(string method, JsonElement data)
    {
        if (method != "news" || data.ValueKind != JsonValueKind.Object
            || !data.TryGetProperty("soak", out var r) || r.GetString() != run
            || !data.TryGetProperty("p", out var p) || !data.TryGetProperty("seq", out var s))
        {
            return;
        }

        var publisher = p.GetInt32();
        var seq = s.GetInt32();
        Interlocked.Increment(ref Received);
        lock (_gate)
        {
            if (_received[publisher].Contains(seq))
            {
                Interlocked.Increment(ref Duplicates);
                stats.Sample($"node{node.Index}: duplicate notification p{publisher} #{seq}");
                return;
            }

            _received[publisher].Add(seq);
            if (_current is { } session)
            {
                if (seq < session.Last[publisher])
                {
                    Interlocked.Increment(ref OutOfOrder);
                    stats.Sample($"node{node.Index}: p{publisher} #{seq} after #{session.Last[publisher]}");
                }

                session.Last[publisher] = Math.Max(session.Last[publisher], seq);
            }
        }
    }

    internal static async Task DelayAsync(TimeSpan delay, CancellationToken stop)
    {
        try
        {
            await Task.Delay(delay, stop).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }
    }
}
