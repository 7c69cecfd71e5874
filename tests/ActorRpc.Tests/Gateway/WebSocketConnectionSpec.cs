using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using ActorRpc.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace ActorRpc.Tests.Gateway;

/// <summary>Behaviour of one WebSocket connection: concurrency, fault containment, framing and limits.</summary>
public sealed class WebSocketConnectionSpec : IAsyncLifetime
{
    private const int MaxMessageSize = 4096;
    private const int MaxBatchSize = 3;
    private RpcServer? _server;

    private RpcServer Server => _server!;

    public async Task InitializeAsync() => _server = await RpcServer.StartAsync(
        configure: null,
        $"--ActorRpc:Limits:MaxMessageSize={MaxMessageSize}",
        $"--ActorRpc:Limits:MaxBatchSize={MaxBatchSize}");

    public async Task DisposeAsync() => await _server!.DisposeAsync();

    [Fact]
    public async Task SlowRequest_FollowedByPing_PingAnsweredFirst()
    {
        await using var socket = await Server.ConnectAsync();
        await socket.SendAsync("""{"jsonrpc":"2.0","method":"sleep","params":[3000],"id":"slow"}""");
        await socket.SendAsync("""{"jsonrpc":"2.0","method":"ping","id":"fast"}""");

        var first = await socket.ReceiveJsonAsync();
        Assert.Equal("fast", first.GetProperty("id").GetString());
        var second = await socket.ReceiveJsonAsync();
        Assert.Equal("slow", second.GetProperty("id").GetString());
        Assert.Equal(3000, JsonAssert.Result(second).GetInt32());
    }

    [Fact]
    public async Task DivideByZero_ThousandConcurrentOverTenConnections_EveryIdGetsItsErrorAndPingStillAnswers()
    {
        const int connections = 10;
        const int callsPerConnection = 100;
        var sockets = new List<RpcTestSocket>();
        try
        {
            for (var i = 0; i < connections; i++)
            {
                sockets.Add(await Server.ConnectAsync());
            }

            await Task.WhenAll(sockets.Select(async (socket, c) =>
            {
                // Fire every call before reading any answer, so all are in flight together.
                await Task.WhenAll(Enumerable.Range(0, callsPerConnection).Select(i =>
                    socket.SendAsync($$"""{"jsonrpc":"2.0","method":"divide","params":[{{i}},0],"id":"{{c}}-{{i}}"}""")));

                var seen = new HashSet<string>();
                for (var i = 0; i < callsPerConnection; i++)
                {
                    var response = await socket.ReceiveJsonAsync();
                    JsonAssert.Error(response, -32603);
                    Assert.True(seen.Add(response.GetProperty("id").GetString()!), "Each id is answered exactly once.");
                }

                Assert.Equal(Enumerable.Range(0, callsPerConnection).Select(i => $"{c}-{i}").ToHashSet(), seen);
            })).DefaultTimeout();

            foreach (var socket in sockets)
            {
                var pong = await socket.CallAsync("ping");
                Assert.Equal("pong", JsonAssert.Result(pong).GetString());
            }
        }
        finally
        {
            foreach (var socket in sockets)
            {
                await socket.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task FaultingHandler_OnOneConnection_OtherConnectionUnaffected()
    {
        await using var failing = await Server.ConnectAsync();
        await using var healthy = await Server.ConnectAsync();
        JsonAssert.Error(await failing.CallAsync("divide", new[] { 1, 0 }), -32603);
        Assert.Equal("pong", JsonAssert.Result(await healthy.CallAsync("ping")).GetString());
        Assert.Equal(2, JsonAssert.Result(await failing.CallAsync("add", new[] { 1, 1 })).GetInt32());
    }

    [Fact]
    public async Task Message_InSeveralFrames_AssembledAndAnswered()
    {
        await using var socket = await Server.ConnectAsync();
        var bytes = Encoding.UTF8.GetBytes("""{"jsonrpc":"2.0","method":"echo","params":["split across frames"],"id":7}""");
        await socket.SendAsync(bytes[..10], WebSocketMessageType.Text, endOfMessage: false);
        await socket.SendAsync(bytes[10..30], WebSocketMessageType.Text, endOfMessage: false);
        await socket.SendAsync(bytes[30..], WebSocketMessageType.Text, endOfMessage: true);

        var response = await socket.ReceiveJsonAsync();
        Assert.Equal("split across frames", JsonAssert.Result(response)[0].GetString());
    }

    [Fact]
    public async Task Message_OverMaxMessageSize_ClosedWithMessageTooBig()
    {
        await using var socket = await Server.ConnectAsync();
        var big = $$"""{"jsonrpc":"2.0","method":"echo","params":["{{new string('x', MaxMessageSize)}}"],"id":1}""";
        await socket.SendAsync(big);

        var (status, reason) = await socket.ReceiveCloseAsync();
        Assert.Equal(WebSocketCloseStatus.MessageTooBig, status);
        Assert.Contains("MaxMessageSize", reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Message_JustUnderMaxMessageSize_Answered()
    {
        await using var socket = await Server.ConnectAsync();
        var prefix = """{"jsonrpc":"2.0","method":"echo","params":[""]""";
        var padding = new string('x', MaxMessageSize - prefix.Length - ""","id":1}""".Length);
        var request = $$"""{"jsonrpc":"2.0","method":"echo","params":["{{padding}}"],"id":1}""";
        Assert.Equal(MaxMessageSize, Encoding.UTF8.GetByteCount(request));
        await socket.SendAsync(request);

        var response = await socket.ReceiveJsonAsync();
        Assert.Equal(padding, JsonAssert.Result(response)[0].GetString());
    }

    [Fact]
    public async Task BinaryMessage_ByDefault_ClosedWithUnsupportedData()
    {
        await using var socket = await Server.ConnectAsync();
        await socket.SendAsync(Encoding.UTF8.GetBytes("""{"jsonrpc":"2.0","method":"ping","id":1}"""), WebSocketMessageType.Binary);

        var (status, _) = await socket.ReceiveCloseAsync();
        Assert.Equal(WebSocketCloseStatus.InvalidMessageType, status);
    }

    [Fact]
    public async Task TextMessage_InvalidUtf8_ClosedWithInvalidPayloadData()
    {
        await using var socket = await Server.ConnectAsync();
        var head = Encoding.UTF8.GetBytes("{\"jsonrpc\":\"2.0\",\"method\":\"echo\",\"params\":[\"");
        var tail = Encoding.UTF8.GetBytes("\"],\"id\":1}");
        byte[] invalid = [.. head, 0xC3, 0x28, .. tail];
        await socket.SendAsync(invalid, WebSocketMessageType.Text);

        var (status, _) = await socket.ReceiveCloseAsync();
        Assert.Equal(WebSocketCloseStatus.InvalidPayloadData, status);
    }

    [Fact]
    public async Task Batch_OverMaxBatchSize_SingleInvalidRequestAndConnectionStaysOpen()
    {
        await using var socket = await Server.ConnectAsync();
        var batch = "[" + string.Join(",", Enumerable.Range(0, MaxBatchSize + 1).Select(i => $$"""{"jsonrpc":"2.0","method":"ping","id":{{i}}}""")) + "]";
        await socket.SendAsync(batch);

        var response = await socket.ReceiveJsonAsync();
        Assert.Equal(JsonValueKind.Object, response.ValueKind);
        var error = JsonAssert.Error(response, -32600);
        Assert.Contains("MaxBatchSize", error.GetProperty("data").GetString(), StringComparison.Ordinal);
        Assert.Equal("pong", JsonAssert.Result(await socket.CallAsync("ping")).GetString());
    }

    [Fact]
    public async Task Garbage_ThenPing_ParseErrorThenPong()
    {
        await using var socket = await Server.ConnectAsync();
        await socket.SendAsync("this is not json");
        JsonAssert.Error(await socket.ReceiveJsonAsync(), -32700);
        Assert.Equal("pong", JsonAssert.Result(await socket.CallAsync("ping")).GetString());
    }

    [Fact]
    public async Task DeeplyNestedJson_ParseErrorAndConnectionStaysOpen()
    {
        await using var socket = await Server.ConnectAsync();
        await socket.SendAsync("""{"jsonrpc":"2.0","method":"echo","id":1,"params":""" + new string('[', 1000) + new string(']', 1000) + "}");
        JsonAssert.Error(await socket.ReceiveJsonAsync(), -32700);
        Assert.Equal("pong", JsonAssert.Result(await socket.CallAsync("ping")).GetString());
    }

    [Fact]
    public async Task ClientClose_Normal_ServerCompletesHandshake()
    {
        var socket = await Server.ConnectAsync();
        Assert.Equal("pong", JsonAssert.Result(await socket.CallAsync("ping")).GetString());
        await socket.Socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "bye", CancellationToken.None).DefaultTimeout();
        Assert.Equal(WebSocketState.Closed, socket.Socket.State);
        Assert.Equal(WebSocketCloseStatus.NormalClosure, socket.Socket.CloseStatus);
        await socket.DisposeAsync();
    }

    [Fact]
    public async Task ClientDisconnect_WithSleepInFlight_ServerKeepsServingOthers()
    {
        var leaving = await Server.ConnectAsync();
        await leaving.SendAsync("""{"jsonrpc":"2.0","method":"sleep","params":[60000],"id":1}""");
        leaving.Socket.Abort();
        leaving.Socket.Dispose();

        await using var other = await Server.ConnectAsync();
        Assert.Equal("pong", JsonAssert.Result(await other.CallAsync("ping")).GetString());
    }

    [Fact]
    public async Task OutboundQueue_SubscriberNeverReads_ClosedWithPolicyViolation()
    {
        await using var server = await RpcServer.StartAsync(null, "--ActorRpc:Limits:MaxOutboundQueue=2", "--ActorRpc:Endpoint:CloseTimeout=00:01:00");
        await using var subscriber = await Reliability.RawSubscriber.SubscribeAsync(server.WebSocketUri, "news");
        var publisher = server.App.Services.GetRequiredService<ITopicPublisher>();
        var data = JsonSerializer.SerializeToElement(new { padding = new string('x', 200_000) });

        // Far more than the socket buffers hold: once they are full, the server's queue fills too.
        for (var i = 0; i < 200; i++)
        {
            publisher.Publish("news", data);
        }

        Assert.Equal(WebSocketCloseStatus.PolicyViolation, await subscriber.DrainUntilClosedAsync(TestTimeouts.Long));
        Assert.Contains("MaxOutboundQueue", subscriber.Socket.CloseStatusDescription, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OutboundQueue_ClientNeverReadsReplies_ThrottledNotClosed()
    {
        await using var server = await RpcServer.StartAsync(null, "--ActorRpc:Limits:MaxOutboundQueue=2", "--ActorRpc:Limits:MaxRequestsInFlight=4");
        await using var socket = await server.ConnectAsync();
        var payload = new string('x', 200_000);

        // Replies are bounded by the in-flight limit, not the notification queue: none is refused.
        for (var i = 0; i < 50; i++)
        {
            await socket.SendAsync($$"""{"jsonrpc":"2.0","method":"echo","params":["{{payload}}"],"id":{{i}}}""");
        }

        var ids = new HashSet<int>();
        for (var i = 0; i < 50; i++)
        {
            ids.Add((await socket.ReceiveJsonAsync()).GetProperty("id").GetInt32());
        }

        Assert.Equal(50, ids.Count);
    }
}
