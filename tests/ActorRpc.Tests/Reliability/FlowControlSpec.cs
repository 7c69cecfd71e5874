using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using ActorRpc.Methods.Definition;
using ActorRpc.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace ActorRpc.Tests.Reliability;

/// <summary>
/// MaxRequestsInFlight: past it the server stops reading the client's socket, so a client that
/// floods, or never reads its replies, is slowed instead of buffered without end.
/// </summary>
public sealed class FlowControlSpec
{
    [Fact]
    public async Task InFlightLimit_ClientSendsFarMore_AtMostTheLimitRunAndAllAreAnswered()
    {
        var held = new HeldCalls();
        await using var server = await RpcServer.StartAsync(held.Configure, "--ActorRpc:Limits:MaxRequestsInFlight=4");
        await using var socket = await server.ConnectAsync();

        const int Requests = 60;
        for (var i = 0; i < Requests; i++)
        {
            await socket.SendAsync($$"""{"jsonrpc":"2.0","method":"hold","params":{"tag":"t{{i}}"},"id":{{i}}}""");
        }

        await Eventually.AssertAsync(() => Assert.Equal(4, held.Running));
        await Task.Delay(TestTimeouts.Short); // nothing more may start while those four hold
        Assert.Equal(4, held.Started);

        held.ReleaseAll();
        var ids = new HashSet<int>();
        for (var i = 0; i < Requests; i++)
        {
            ids.Add((await socket.ReceiveJsonAsync()).GetProperty("id").GetInt32());
        }

        Assert.Equal(Requests, ids.Count);
        Assert.Equal(4, held.MaxRunning);
    }

    [Fact]
    public async Task InFlightLimit_BatchOverTheLimit_RunsWholeWhileLaterMessagesWait()
    {
        var held = new HeldCalls();
        await using var server = await RpcServer.StartAsync(held.Configure, "--ActorRpc:Limits:MaxRequestsInFlight=4");
        await using var socket = await server.ConnectAsync();

        var batch = string.Join(',', Enumerable.Range(0, 6).Select(i => $$"""{"jsonrpc":"2.0","method":"hold","params":{"tag":"b{{i}}"},"id":{{i}}}"""));
        await socket.SendAsync($"[{batch}]");
        for (var i = 0; i < 4; i++)
        {
            await socket.SendAsync($$"""{"jsonrpc":"2.0","method":"hold","params":{"tag":"s{{i}}"},"id":{{100 + i}}}""");
        }

        // A batch's size is known once it is parsed, so up to limit - 1 messages after it may already
        // be read; the fourth single cannot be, whichever way that race goes.
        await Eventually.AssertAsync(() => Assert.InRange(held.Running, 6, 9));
        await Task.Delay(TestTimeouts.Short);
        Assert.InRange(held.Started, 6, 9);

        held.ReleaseAll();
        var replies = new List<System.Text.Json.JsonElement>();
        for (var i = 0; i < 5; i++)
        {
            replies.Add(await socket.ReceiveJsonAsync());
        }

        Assert.Equal(6, replies.Single(r => r.ValueKind == System.Text.Json.JsonValueKind.Array).GetArrayLength());
        Assert.Equal(10, held.Started);
    }

    [Fact]
    public async Task UnreadReplies_ClientNeverReads_ServerStopsTakingRequestsThenAnswersAll()
    {
        var handled = 0;
        await using var server = await RpcServer.StartAsync(
            builder => builder.Services.AddActorRpc().AddMethod("count", (string padding) =>
            {
                Interlocked.Increment(ref handled);
                return padding;
            }),
            "--ActorRpc:Limits:MaxRequestsInFlight=16");

        // A raw socket that does not read until told to: its replies (8 KB each) fill the TCP
        // buffers, then the in-flight limit, then the server stops reading it.
        using var socket = new ClientWebSocket();
        await socket.ConnectAsync(server.WebSocketUri, CancellationToken.None).DefaultTimeout();
        const int Requests = 20_000;
        var padding = new string('x', 8 * 1024);
        using var stopSending = new CancellationTokenSource();
        var sent = 0;
        var sending = Task.Run(async () =>
        {
            for (var i = 0; i < Requests; i++)
            {
                var request = Encoding.UTF8.GetBytes($$"""{"jsonrpc":"2.0","method":"count","params":["{{padding}}"],"id":{{i}}}""");
                await socket.SendAsync(request, WebSocketMessageType.Text, true, stopSending.Token);
                Interlocked.Increment(ref sent);
            }
        });

        // The server stops handling well short of everything sent (buffers hold a few thousand at most).
        var plateau = -1;
        await Eventually.AssertAsync(async () =>
        {
            var before = Volatile.Read(ref handled);
            await Task.Delay(TestTimeouts.Short);
            Assert.Equal(before, Volatile.Read(ref handled));
            plateau = before;
        });
        Assert.InRange(plateau, 16, Requests / 2);
        Assert.False(sending.IsCompleted, $"all {Requests} requests were taken although no reply was read");

        // Once the client reads, everything flows again and every request is answered.
        var buffer = new byte[64 * 1024];
        var answered = 0;
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (answered < Requests)
        {
            var result = await socket.ReceiveAsync(buffer, deadline.Token);
            Assert.Equal(WebSocketMessageType.Text, result.MessageType);
            if (result.EndOfMessage)
            {
                answered++;
            }
        }

        await sending.DefaultTimeout();
        Assert.Equal(Requests, Volatile.Read(ref handled));
    }
}
