using System.Globalization;
using System.Text.Json;

namespace ActorRpc.Bench.Soak;

/// <summary>
/// Caller connections: each sends a paced mix of requests, keeping at most
/// <see cref="SoakOptions.Pipeline"/> outstanding, and checks every answer against what the
/// method must return. A caller whose node goes away waits for the node and reconnects.
/// </summary>
internal sealed class Callers(SoakOptions options, IReadOnlyList<ClusterNode> nodes, SoakStats stats)
{
    /// <summary>One kind of request: method, params, and the exact answer it must get (a raw result or an error code).</summary>
    private readonly record struct Call(string Method, string? Params, string? Result, int? Code);

    public Task RunAsync(CancellationToken stop) =>
        Task.WhenAll(Enumerable.Range(0, options.Callers).Select(i => Task.Run(() => CallerAsync(nodes[i % nodes.Count], i, stop), CancellationToken.None)));

    private async Task CallerAsync(ClusterNode node, int index, CancellationToken stop)
    {
        var random = new Random(index);
        var perCaller = Math.Max(0.1, (double)options.CallRate / options.Callers);
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1 / perCaller));

        // Spread the callers' ticks over the first interval.
        await Delay(TimeSpan.FromSeconds(random.NextDouble() / perCaller), stop).ConfigureAwait(false);
        var inFlight = new List<Task>();
        RpcConnection? connection = null;
        try
        {
            while (await Tick(timer, stop).ConfigureAwait(false))
            {
                inFlight.RemoveAll(t => t.IsCompleted);
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

                    connection = await TryConnectAsync(node, stop).ConfigureAwait(false);
                    if (connection is null)
                    {
                        continue;
                    }
                }

                if (inFlight.Count < options.Pipeline)
                {
                    inFlight.Add(CallOnceAsync(connection, node, Next(random), stop));
                }
            }

            // Load is over: let the outstanding calls finish or time out.
            await Task.WhenAll(inFlight).ConfigureAwait(false);
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

    private async Task<RpcConnection?> TryConnectAsync(ClusterNode node, CancellationToken stop)
    {
        try
        {
            var connection = await SoakConnection.ConnectAsync(node, null, stop).ConfigureAwait(false);
            _ = WatchAsync(connection, node);
            return connection;
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !stop.IsCancellationRequested)
        {
            if (node.IsUp)
            {
                Interlocked.Increment(ref stats.Nodes[node.Index].ConnectFailures);
                stats.Sample($"node{node.Index}: caller connect failed: {ex.Message}");
            }

            return null;
        }
    }

    private async Task WatchAsync(RpcConnection connection, ClusterNode node)
    {
        var reason = await connection.Closed.ConfigureAwait(false);
        if (node.IsUp && !reason.Contains("by the client", StringComparison.Ordinal) && reason != "disposed")
        {
            Interlocked.Increment(ref stats.Nodes[node.Index].UnexpectedDisconnects);
            stats.Sample($"node{node.Index}: caller connection lost while the node was up: {reason}");
        }
    }

    /// <summary>Sends one request and books its outcome. Shared with the churn connections.</summary>
    public static async Task CallAndCountAsync(RpcConnection connection, ClusterNode node, string method, string? parameters,
        string? expectedResult, int? expectedCode, TimeSpan timeout, SoakStats stats, CancellationToken stop)
    {
        var counters = stats.Nodes[node.Index];
        Task<RpcReply> pending;
        try
        {
            pending = await connection.SendRequestAsync(method, parameters, CancellationToken.None).ConfigureAwait(false);
        }
        catch (ConnectionLostException)
        {
            // Never sent: neither sent nor lost.
            return;
        }

        Interlocked.Increment(ref counters.Sent);
        RpcReply reply;
        try
        {
            reply = await pending.WaitAsync(timeout, CancellationToken.None).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            Interlocked.Increment(ref counters.TimedOut);
            stats.Sample($"node{node.Index}: no reply to {method} {parameters} within {timeout.TotalSeconds}s");
            return;
        }
        catch (ConnectionLostException ex)
        {
            if (node.IsUp && !ex.Message.Contains("by the client", StringComparison.Ordinal) && ex.Message != "disposed")
            {
                Interlocked.Increment(ref counters.CutUnexpectedly);
                stats.Sample($"node{node.Index}: {method} lost with its connection: {ex.Message}");
            }
            else
            {
                Interlocked.Increment(ref counters.CutByRestart);
            }

            return;
        }

        Interlocked.Increment(ref counters.Answered);
        if (reply.ErrorCode is { } code)
        {
            stats.Error(node.Index, code);
        }

        var right = expectedCode is { } want
            ? reply.ErrorCode == want
            : !reply.IsError && (expectedResult is null || SameJson(reply.Result!, expectedResult));
        if (!right)
        {
            Interlocked.Increment(ref counters.Wrong);
            stats.Sample($"node{node.Index}: {method} {parameters} answered {(reply.IsError ? $"error {reply.ErrorCode}" : reply.Result)}, expected {(expectedCode is null ? expectedResult : $"error {expectedCode}")}");
        }
    }

    private Task CallOnceAsync(RpcConnection connection, ClusterNode node, Call call, CancellationToken stop) =>
        CallAndCountAsync(connection, node, call.Method, call.Params, call.Result, call.Code, options.ReplyTimeout, stats, stop);

    /// <summary>The mix: mostly successes, with each kind of failure a handler or the protocol can give.</summary>
    private static Call Next(Random random)
    {
        var a = random.Next(-1000, 1000);
        var b = random.Next(1, 100);
        var n = random.Next(100);
        string I(long v) => v.ToString(CultureInfo.InvariantCulture);
        return n switch
        {
            < 20 => new("ping", null, "\"pong\"", null),
            < 35 => new("echo", $$"""["soak",{{I(a)}},{"k":{{I(b)}}}]""", $$"""["soak",{{I(a)}},{"k":{{I(b)}}}]""", null),
            < 50 => new("add", $$"""{"a":{{I(a)}},"b":{{I(b)}}}""", I(a + b), null),
            < 60 => new("divide", $"[{I(a)},{I(b)}]", I(a / b), null),
            < 67 => new("divide", $"[{I(a)},0]", null, -32603),
            < 75 => new("computer_says_no", null, null, -32050),
            < 82 => new("no_such_method", "[]", null, -32601),
            < 90 => new("add", $$"""["x",{{I(b)}}]""", null, -32602),
            < 95 => new("divide", $"[{I(a)}]", null, -32602),
            _ => new("sleep", $"[{I(b)}]", I(b), null),
        };
    }

    private static bool SameJson(string actual, string expected)
    {
        using var x = JsonDocument.Parse(actual);
        using var y = JsonDocument.Parse(expected);
        return JsonElement.DeepEquals(x.RootElement, y.RootElement);
    }

    private static async Task<bool> Tick(PeriodicTimer timer, CancellationToken stop)
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

    private static async Task Delay(TimeSpan delay, CancellationToken stop)
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
