using System.Net.WebSockets;
using System.Text;
using ActorRpc.Gateway.Transport;
using ActorRpc.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace ActorRpc.Tests.Reliability;

/// <summary>
/// Memory budgets in bytes (issue 12): a partial message has a deadline (Endpoint:MessageTimeout),
/// a connection's messages in flight and queued frames are bounded in bytes (Limits:MaxInFlightBytes,
/// Limits:MaxOutboundBytes), and so is their sum over the node (Limits:MaxNodeBufferedBytes).
/// </summary>
public sealed class ByteBudgetSpec
{
    private const int OutboundBudget = 4 * 1024 * 1024;
    private const int Publishes = 60;

    // ~0.9 MB of padding: each notification frame is about that large.
    private static readonly string Padding = new('p', 900 * 1024);

    [Fact]
    public async Task MessageTimeout_OneFragmentThenStall_Closed1008NamingTheSetting()
    {
        await using var server = await RpcServer.StartAsync(null, "--ActorRpc:Endpoint:MessageTimeout=00:00:00.500");
        await using var socket = await server.ConnectAsync();

        var started = DateTime.UtcNow;
        await socket.SendAsync(Encoding.UTF8.GetBytes("""{"jsonrpc":"2.0","method":"ping","""), WebSocketMessageType.Text, endOfMessage: false);

        // The idle timeout (10 min) would hold the partial message; the message deadline must not.
        var (status, reason) = await socket.ReceiveCloseAsync();
        Assert.Equal(WebSocketCloseStatus.PolicyViolation, status);
        Assert.Contains("ActorRpc:Endpoint:MessageTimeout", reason, StringComparison.Ordinal);
        Assert.InRange(DateTime.UtcNow - started, TimeSpan.FromMilliseconds(400), TestTimeouts.Long);
    }

    [Fact]
    public async Task MessageTimeout_WholeMessagesOnAnIdleConnection_NotClosed()
    {
        await using var server = await RpcServer.StartAsync(null, "--ActorRpc:Endpoint:MessageTimeout=00:00:00.200");
        await using var socket = await server.ConnectAsync();

        Assert.Equal("pong", (await socket.CallAsync("ping")).GetProperty("result").GetString());

        // A sweep that began once the connection had been quiet past MessageTimeout, with no partial message: nothing to close.
        var quietPastTimeout = Environment.TickCount64 + 200;
        var sweeper = server.App.Services.GetServices<IHostedService>().OfType<ConnectionDeadlineSweeper>().Single();
        await Eventually.AssertAsync(() => Assert.True(sweeper.LastSweep >= quietPastTimeout));
        await socket.SendAsync(Encoding.UTF8.GetBytes("""{"jsonrpc":"2.0","method":"""), WebSocketMessageType.Text, endOfMessage: false);
        await socket.SendAsync(Encoding.UTF8.GetBytes(""" "ping","id":1}"""), WebSocketMessageType.Text, endOfMessage: true);
        Assert.Equal("pong", (await socket.ReceiveJsonAsync()).GetProperty("result").GetString());
    }

    [Fact]
    public async Task InFlightBytes_LargeHeldRequests_ReadingStopsAtTheByteBudget()
    {
        var held = new HeldCalls();
        await using var server = await RpcServer.StartAsync(
            held.Configure,
            "--ActorRpc:Limits:MaxRequestsInFlight=1000",
            "--ActorRpc:Limits:MaxMessageSize=65536",
            "--ActorRpc:Limits:MaxInFlightBytes=131072");
        await using var socket = await server.ConnectAsync();

        // ~60 KB each (whitespace after the object): 0, 60 and 120 KB in flight are under 128 KB, so three
        // are read; then 180 KB is over and reading stops, far below MaxRequestsInFlight.
        const int Requests = 10;
        var whitespace = new string(' ', 60 * 1024);
        var messages = Enumerable.Range(0, Requests)
            .Select(i => $$"""{"jsonrpc":"2.0","method":"hold","params":{"tag":"t{{i}}"},"id":{{i}}}{{whitespace}}""")
            .ToList();
        foreach (var message in messages)
        {
            await socket.SendAsync(message);
        }

        await Eventually.AssertAsync(() => Assert.Equal(3, held.Running));
        var connection = Assert.Single(server.App.Services.GetRequiredService<ConnectionRegistry>().Connections);
        // The reader parks before the fourth message (180 KB would be in flight): nothing more can start until a release.
        await Eventually.AssertAsync(() => Assert.True(connection.IsReadingPaused));
        Assert.Equal(3, held.Started);
        Assert.Equal(messages.Take(3).Sum(m => (long)Encoding.UTF8.GetByteCount(m)), connection.InFlightBytes);

        held.ReleaseAll();
        var ids = new HashSet<int>();
        for (var i = 0; i < Requests; i++)
        {
            ids.Add((await socket.ReceiveJsonAsync()).GetProperty("id").GetInt32());
        }

        Assert.Equal(Requests, ids.Count);
        await Eventually.AssertAsync(() => Assert.Equal(0, connection.InFlightBytes)); // every message's bytes settled once
    }

    [Fact]
    public async Task OutboundBytes_NonReadingSubscriberFloodedWithLargeFrames_Closed1008WithinItsBudgetWhileAnotherGetsEverything()
    {
        await using var server = await StartFloodServerAsync("Disconnect");
        var registry = server.App.Services.GetRequiredService<ConnectionRegistry>();
        await using var slow = await RawSubscriber.SubscribeAsync(server.WebSocketUri, "news");
        await using var reader = await RawSubscriber.SubscribeAsync(server.WebSocketUri, "news");
        reader.StartReading();
        await using var publisher = await server.ConnectAsync();

        var mostQueued = await FloodAsync(publisher, reader, registry);

        await reader.WaitForAsync(Publishes, TestTimeouts.Long);
        Assert.Equal(WebSocketCloseStatus.PolicyViolation, await slow.DrainUntilClosedAsync(TestTimeouts.Long));
        Assert.Contains("MaxOutboundBytes", slow.Socket.CloseStatusDescription, StringComparison.Ordinal);
        Assert.InRange(mostQueued, 0, OutboundBudget);
        Assert.Equal(WebSocketState.Open, reader.Socket.State);
        Assert.Equal(0, reader.Duplicates);
    }

    [Fact]
    public async Task OutboundBytes_DropNotifications_NonReadingSubscriberKeepsWithinItsBudgetAndStaysOpen()
    {
        await using var server = await StartFloodServerAsync("DropNotifications");
        var registry = server.App.Services.GetRequiredService<ConnectionRegistry>();
        var node = server.App.Services.GetRequiredService<NodeBufferBudget>();
        await using var slow = await RawSubscriber.SubscribeAsync(server.WebSocketUri, "news");
        await using var reader = await RawSubscriber.SubscribeAsync(server.WebSocketUri, "news");
        reader.StartReading();
        await using var publisher = await server.ConnectAsync();

        var mostQueued = await FloodAsync(publisher, reader, registry);

        await reader.WaitForAsync(Publishes, TestTimeouts.Long);
        Assert.InRange(mostQueued, 0, OutboundBudget);
        Assert.InRange(registry.Connections.Max(c => c.QueuedBytes), 0, OutboundBudget);
        // The node holds what the slow client's budget allows, not the 54 MB published.
        Assert.InRange(node.Count, 0, 2 * OutboundBudget);
        Assert.Equal(WebSocketState.Open, slow.Socket.State);
        Assert.Equal(WebSocketState.Open, reader.Socket.State);
    }

    private static Task<RpcServer> StartFloodServerAsync(string policy) => RpcServer.StartAsync(
        null,
        $"--ActorRpc:Limits:MaxOutboundBytes={OutboundBudget}",
        $"--ActorRpc:Limits:SlowConsumerPolicy={policy}",
        "--ActorRpc:Endpoint:CloseTimeout=00:02:00", // so the close frame still waits for the slow client when it finally reads
        "--ActorRpc:Endpoint:KeepAliveInterval=00:00:00");

    // Publishes ~0.9 MB notifications one by one, each once the reading subscriber has the one before (so only
    // the slow one falls behind); returns the most bytes any connection held queued meanwhile.
    private static async Task<long> FloodAsync(RpcTestSocket publisher, RawSubscriber reader, ConnectionRegistry registry)
    {
        var mostQueued = 0L;
        for (var i = 0; i < Publishes; i++)
        {
            var reply = await publisher.CallAsync("publish", new { topic = "news", data = new { seq = i, padding = Padding } });
            Assert.True(reply.TryGetProperty("result", out _), reply.ToString());
            mostQueued = Math.Max(mostQueued, registry.Connections.Max(c => c.QueuedBytes));
            await reader.WaitForAsync(i + 1, TestTimeouts.Long);
            mostQueued = Math.Max(mostQueued, registry.Connections.Max(c => c.QueuedBytes));
        }

        return mostQueued;
    }
}
