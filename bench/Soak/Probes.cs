using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;

namespace ActorRpc.Bench.Soak;

/// <summary>
/// Proves nodes are cluster members that see each other's subscriptions: one probe subscriber per
/// node, and probe publishes from each node until every other node's probe subscriber has one.
/// A notify crosses nodes only through the cluster's pub/sub mediator, so a probe that arrives
/// shows both membership and gossiped subscriptions (which /healthz does not).
/// </summary>
internal sealed class Probes(string run) : IAsyncDisposable
{
    private readonly RpcConnection?[] _subscribers = new RpcConnection?[SoakOptions.Nodes + 1];
    private readonly ConcurrentDictionary<string, byte>[] _seen = Enumerable.Range(0, SoakOptions.Nodes + 1).Select(_ => new ConcurrentDictionary<string, byte>()).ToArray();
    private int _round;

    /// <summary>(Re)connects the probe subscriber of <paramref name="node"/>.</summary>
    public async Task SubscribeAsync(ClusterNode node, CancellationToken cancellationToken)
    {
        if (_subscribers[node.Index] is { } old)
        {
            await old.DisposeAsync().ConfigureAwait(false);
        }

        var seen = _seen[node.Index];
        var connection = await SoakConnection.ConnectAsync(node, (method, data) =>
        {
            if (method == "news" && data.ValueKind == JsonValueKind.Object && data.TryGetProperty("probe", out var token) && token.GetString() is { } t)
            {
                seen.TryAdd(t, 0);
            }
        }, cancellationToken).ConfigureAwait(false);
        _subscribers[node.Index] = connection;
        var reply = await connection.CallAsync("subscribe", """["news"]""", TimeSpan.FromSeconds(10), cancellationToken).ConfigureAwait(false);
        if (reply.IsError)
        {
            throw new InvalidOperationException($"node{node.Index}: probe subscribe failed with {reply.ErrorCode}");
        }
    }

    /// <summary>
    /// Publishes probes from every node in <paramref name="from"/> until each reaches the probe
    /// subscriber on every node in <paramref name="to"/>; returns how long that took.
    /// </summary>
    public async Task<TimeSpan> ConnectedAsync(IEnumerable<ClusterNode> from, IEnumerable<ClusterNode> to, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        var targets = to.ToArray();
        await Task.WhenAll(from.Select(source => Task.Run(async () =>
        {
            await using var publisher = await SoakConnection.ConnectAsync(source, null, cancellationToken).ConfigureAwait(false);
            while (true)
            {
                var token = $"{run}-{source.Index}-{Interlocked.Increment(ref _round)}";
                await publisher.CallAsync("publish", $$$"""{"topic":"news","data":{"probe":"{{{token}}}"}}""", TimeSpan.FromSeconds(10), cancellationToken).ConfigureAwait(false);
                for (var i = 0; i < 10; i++)
                {
                    if (targets.All(t => t.Index == source.Index || _seen[t.Index].ContainsKey(token)))
                    {
                        return;
                    }

                    await Task.Delay(50, cancellationToken).ConfigureAwait(false);
                }
            }
        }, cancellationToken))).ConfigureAwait(false);
        return Stopwatch.GetElapsedTime(started);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var connection in _subscribers)
        {
            if (connection is not null)
            {
                await connection.DisposeAsync().ConfigureAwait(false);
            }
        }
    }
}
