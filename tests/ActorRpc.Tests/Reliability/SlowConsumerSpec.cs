using System.Net.WebSockets;
using ActorRpc.Tests.Infrastructure;
using Xunit.Abstractions;

namespace ActorRpc.Tests.Reliability;

/// <summary>
/// A subscriber that never reads while 100,000 notifications are published: the node's memory
/// stays bounded, the slow client is closed with 1008 (the default slow-consumer policy), and
/// the subscribers that read get every notification (those published one by one, in order) and
/// are never cut off.
/// </summary>
[Collection(MeasuringCollection.Name)]
public sealed class SlowConsumerSpec(ITestOutputHelper output)
{
    private const int Notifications = 100_000;

    // If the slow client's queue were unbounded it would hold every frame: ~100,000 x 0.75 KB.
    private const long ManagedGrowthBound = 32L * 1024 * 1024;

    [Fact]
    public async Task SlowSubscriber_NeverReads_DisconnectedWith1008WhileOthersGetEverything()
    {
        await using var server = await RpcServer.StartAsync(
            null,
            "--ActorRpc:Endpoint:CloseTimeout=00:02:00", // so the close frame still waits for the slow client when it finally reads
            "--ActorRpc:Endpoint:KeepAliveInterval=00:00:00");
        var readers = new List<RawSubscriber>();
        await using var slow = await RawSubscriber.SubscribeAsync(server.WebSocketUri, "news");
        for (var i = 0; i < 3; i++)
        {
            var reader = await RawSubscriber.SubscribeAsync(server.WebSocketUri, "news", orderedBelow: Notifications / 5);
            reader.StartReading();
            readers.Add(reader);
        }

        var baseline = GC.GetTotalMemory(forceFullCollection: true);
        var peak = baseline;
        var padding = new string('p', 700);
        var started = DateTime.UtcNow;
        for (var chunk = 0; chunk < 5; chunk++)
        {
            var first = chunk * (Notifications / 5);
            var errors = await PipelinedCaller.RunAsync(
                server.WebSocketUri,
                Notifications / 5,
                window: chunk == 0 ? 1 : 32, // the first fifth acknowledged one by one, so its order is defined
                i => $$$"""{"jsonrpc":"2.0","method":"publish","params":{"topic":"news","data":{"seq":{{{first + i}}},"padding":"{{{padding}}}"}},"id":{{{i}}}}""",
                TimeSpan.FromSeconds(120));
            Assert.Equal(0, errors);
            peak = Math.Max(peak, GC.GetTotalMemory(forceFullCollection: true));
        }

        foreach (var reader in readers)
        {
            await reader.WaitForAsync(Notifications, TimeSpan.FromSeconds(60));
            Assert.Equal(0, reader.OutOfOrder);
            Assert.Equal(0, reader.Duplicates);
            Assert.Equal(Notifications, reader.Received);
        }

        output.WriteLine(
            $"{Notifications} notifications to 3 readers in {(DateTime.UtcNow - started).TotalSeconds:F1} s; " +
            $"managed heap peak {(peak - baseline) / 1024 / 1024.0:F1} MB above the {baseline / 1024 / 1024.0:F1} MB baseline (bound {ManagedGrowthBound / 1024 / 1024} MB)");
        Assert.InRange(peak - baseline, long.MinValue, ManagedGrowthBound);

        var logged = await server.Logs.WaitForAsync(e => e.Message.Contains("reads too slowly", StringComparison.Ordinal));
        Assert.Equal(Microsoft.Extensions.Logging.LogLevel.Warning, logged.Level);
        Assert.Equal(WebSocketCloseStatus.PolicyViolation, await slow.DrainUntilClosedAsync(TestTimeouts.Long));

        foreach (var reader in readers)
        {
            Assert.Equal(WebSocketState.Open, reader.Socket.State);
            await reader.DisposeAsync();
        }

    }
}
