using System.Diagnostics.Metrics;
using System.Text.Json;
using ActorRpc.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace ActorRpc.Tests.Cluster;

/// <summary>Notifies published on any node reach subscribers on every node, once per node, in order.</summary>
public sealed class ClusterFanOutSpec(ThreeNodeClusterFixture fixture) : IClassFixture<ThreeNodeClusterFixture>
{
    private ClusterNodes Cluster => fixture.Cluster;

    [Theory]
    [InlineData(0, 1)]
    [InlineData(1, 0)]
    [InlineData(2, 0)]
    public async Task Notify_SubscriberOnOneNodePublisherOnAnother_Received(int subscriberNode, int publisherNode)
    {
        await using var subscriber = await Cluster[subscriberNode].ConnectAsync();
        await using var publisher = await Cluster[publisherNode].ConnectAsync();
        await subscriber.CallAsync("subscribe", new[] { "news" });

        var marker = Guid.NewGuid().ToString("N");
        var received = await PublishUntilReceivedAsync(publisher, subscriber, "news", marker);

        Assert.Equal("news", received.GetProperty("method").GetString());
        Assert.False(received.TryGetProperty("id", out _));
    }

    [Fact]
    public async Task Notify_ThreeHundredSubscribersOnThreeNodes_EveryoneGetsAllHundredInOrder()
    {
        const int perNode = 100;
        const int notifies = 100;
        var subscribers = new List<RpcTestSocket>();
        try
        {
            foreach (var node in Cluster.Nodes)
            {
                for (var i = 0; i < perNode; i++)
                {
                    var socket = await node.ConnectAsync();
                    subscribers.Add(socket);
                    await socket.CallAsync("subscribe", new[] { "news" });
                }
            }

            // Gossip first: one probe notify from the publishing node must reach a subscriber on every node.
            await using var publisher = await Cluster[1].ConnectAsync();
            var run = Guid.NewGuid().ToString("N");
            foreach (var node in new[] { 0, 1, 2 })
            {
                await PublishUntilReceivedAsync(publisher, subscribers[node * perNode], "news", run + "-probe-" + node);
            }

            // Each publish is acknowledged before the next: requests on one socket otherwise run concurrently,
            // and only acknowledged publishes have an order to keep.
            for (var i = 0; i < notifies; i++)
            {
                JsonAssert.Result(await publisher.CallAsync("publish", new { topic = "news", data = new { run, seq = i } }));
            }

            await Task.WhenAll(subscribers.Select(async socket =>
            {
                var expected = 0;
                while (expected < notifies)
                {
                    var data = (await socket.ReceiveJsonAsync()).GetProperty("params");
                    if (!data.TryGetProperty("seq", out var seq) || data.GetProperty("run").GetString() != run)
                    {
                        continue; // a probe
                    }

                    Assert.Equal(expected, seq.GetInt32());
                    expected++;
                }
            })).DefaultTimeout();
        }
        finally
        {
            foreach (var socket in subscribers)
            {
                await socket.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task Notify_ManySubscribersOnEachOtherNode_CrossesToEachNodeOnce()
    {
        const int perNode = 20;
        const int notifies = 10;
        var subscribers = new List<RpcTestSocket>();
        var meters = Cluster[0].App.Services.GetRequiredService<IMeterFactory>();
        long sent = 0;
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            // Only the publishing node's counter: the other nodes of this process have their own.
            if (instrument.Meter.Scope == meters && instrument.Name == "actorrpc.cluster.notifications.sent")
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((_, value, tags, _) =>
        {
            // Only this topic's: every node declares the clock topic too, and its ticker publishes each second.
            foreach (var tag in tags)
            {
                if (tag.Key == "actorrpc.topic" && Equals(tag.Value, "news"))
                {
                    Interlocked.Add(ref sent, value);
                }
            }
        });
        listener.Start();
        try
        {
            foreach (var node in new[] { 1, 2 })
            {
                for (var i = 0; i < perNode; i++)
                {
                    var socket = await Cluster[node].ConnectAsync();
                    subscribers.Add(socket);
                    await socket.CallAsync("subscribe", new[] { "news" });
                }
            }

            await using var publisher = await Cluster[0].ConnectAsync();
            var run = Guid.NewGuid().ToString("N");
            foreach (var node in new[] { 0, 1 })
            {
                await PublishUntilReceivedAsync(publisher, subscribers[node * perNode], "news", run + "-probe-" + node);
            }

            // A fence every subscriber sees: publishes before it are all across by then.
            JsonAssert.Result(await publisher.CallAsync("publish", new { topic = "news", data = new { run, seq = -1 } }));
            await ReceiveRunAsync(subscribers, run, untilSeq: -1);
            var before = Interlocked.Read(ref sent);

            for (var i = 0; i < notifies; i++)
            {
                JsonAssert.Result(await publisher.CallAsync("publish", new { topic = "news", data = new { run, seq = i } }));
            }

            await ReceiveRunAsync(subscribers, run, untilSeq: notifies - 1);
            Assert.Equal(notifies * 2, Interlocked.Read(ref sent) - before); // 2 other nodes, not 40 subscribers
        }
        finally
        {
            foreach (var socket in subscribers)
            {
                await socket.DisposeAsync();
            }
        }
    }

    private static Task ReceiveRunAsync(IEnumerable<RpcTestSocket> subscribers, string run, int untilSeq) =>
        Task.WhenAll(subscribers.Select(async socket =>
        {
            while (true)
            {
                var data = (await socket.ReceiveJsonAsync()).GetProperty("params");
                if (data.TryGetProperty("seq", out var seq) && data.GetProperty("run").GetString() == run && seq.GetInt32() == untilSeq)
                {
                    return;
                }
            }
        })).DefaultTimeout();

    /// <summary>
    /// Publishes until the subscriber sees the marker: a new node's subscriptions reach the others by
    /// gossip (akkadotnet/akka.net#7627), so the first notifies may find no subscriber there yet.
    /// </summary>
    internal static async Task<JsonElement> PublishUntilReceivedAsync(RpcTestSocket publisher, RpcTestSocket subscriber, string topic, string marker)
    {
        var deadline = DateTime.UtcNow + TestTimeouts.Long;
        while (true)
        {
            JsonAssert.Result(await publisher.CallAsync("publish", new { topic, data = new { marker } }));
            try
            {
                while (true)
                {
                    var message = await subscriber.ReceiveJsonAsync(TimeSpan.FromMilliseconds(500));
                    if (message.GetProperty("params").TryGetProperty("marker", out var seen) && seen.GetString() == marker)
                    {
                        return message;
                    }
                }
            }
            catch (OperationCanceledException) when (DateTime.UtcNow < deadline)
            {
                // Not there yet: publish again.
            }
        }
    }
}
