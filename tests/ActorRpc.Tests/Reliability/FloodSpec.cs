using System.Diagnostics;
using ActorRpc.Tests.Infrastructure;
using Xunit.Abstractions;

namespace ActorRpc.Tests.Reliability;

/// <summary>
/// One client sends far more requests than MaxRequestsInFlight as fast as it can; the in-flight
/// limit holds it back at its own socket, so other clients' calls are not queued behind its flood.
/// </summary>
[Collection(MeasuringCollection.Name)]
public sealed class FloodSpec(ITestOutputHelper output)
{
    // Generous for a loaded 2-core machine; without the limit the flood's backlog alone takes seconds.
    private static readonly TimeSpan LatencyBound = TimeSpan.FromSeconds(1);

    [Fact]
    public async Task Flood_OneClientFarPastTheLimit_OthersPingLatencyStaysBounded()
    {
        await using var server = await RpcServer.StartAsync(null, "--ActorRpc:Limits:MaxRequestsInFlight=32");
        const int FloodRequests = 60_000;
        var flood = PipelinedCaller.RunAsync(
            server.WebSocketUri,
            FloodRequests,
            window: FloodRequests, // never waits for a reply: everything is sent as fast as the socket takes it
            i => $$"""{"jsonrpc":"2.0","method":"ping","id":{{i}}}""",
            TimeSpan.FromSeconds(120));

        var latencies = new List<TimeSpan>();
        var probes = Enumerable.Range(0, 4).Select(async _ =>
        {
            await using var socket = await server.ConnectAsync();
            var mine = new List<TimeSpan>();
            while (!flood.IsCompleted || mine.Count < 5)
            {
                var watch = Stopwatch.StartNew();
                var reply = await socket.CallAsync("ping");
                mine.Add(watch.Elapsed);
                Assert.Equal("pong", reply.GetProperty("result").GetString());
            }

            return mine;
        }).ToList();

        Assert.Equal(0, await flood);
        foreach (var probe in probes)
        {
            latencies.AddRange(await probe);
        }

        latencies.Sort();
        var p50 = latencies[latencies.Count / 2];
        var p99 = latencies[(int)(latencies.Count * 0.99)];
        output.WriteLine($"{FloodRequests} flood requests; {latencies.Count} probe pings: p50 {p50.TotalMilliseconds:F1} ms, p99 {p99.TotalMilliseconds:F1} ms, max {latencies[^1].TotalMilliseconds:F1} ms");
        Assert.True(p99 < LatencyBound, $"p99 {p99.TotalMilliseconds:F0} ms over {LatencyBound.TotalMilliseconds} ms");
    }
}
