using System.Net.WebSockets;
using System.Text.Json;
using ActorRpc.Client;
using ActorRpc.Tests.Infrastructure;
using Microsoft.Extensions.Logging;

namespace ActorRpc.Tests.Client;

/// <summary>
/// Client-side methods (<see cref="ActorRpcClient.AddMethod"/>) answering a scripted server's calls,
/// with server ids as strings <c>"s:&lt;n&gt;"</c>, and the client's robustness against what a server sends.
/// </summary>
public sealed class ClientMethodsSpec : ScriptedServerSpec
{
    private async Task<(ActorRpcClient Client, ScriptedPeer Peer)> ConnectAsync(Action<ActorRpcClientOptions>? configure = null)
    {
        var client = await ActorRpcClient.ConnectAsync(Server.Url, options =>
        {
            options.Reconnect.Enabled = false;
            configure?.Invoke(options);
        }).DefaultTimeout();
        Track(client);
        return (client, await Server.NextPeerAsync());
    }

    [Fact]
    public async Task ServerCall_Positional_IsAnsweredWithTheResult()
    {
        var (client, peer) = await ConnectAsync();
        client.AddMethod("confirm", (string question) => question == "q");

        await peer.SendAsync("""{"jsonrpc":"2.0","id":"s:1","method":"confirm","params":["q"]}""");

        var answer = await peer.ReceiveJsonAsync();
        Assert.Equal("s:1", answer.GetProperty("id").GetString());
        Assert.True(answer.GetProperty("result").GetBoolean());
        Assert.Equal("2.0", answer.GetProperty("jsonrpc").GetString());
    }

    [Fact]
    public async Task ServerCall_Named_AsyncHandler_IsAnswered()
    {
        var (client, peer) = await ConnectAsync();
        client.AddMethod("greet", async (string name, int times) =>
        {
            await Task.Yield();
            return string.Concat(Enumerable.Repeat(name, times));
        });

        await peer.SendAsync("""{"jsonrpc":"2.0","id":"s:2","method":"greet","params":{"name":"ab","times":2}}""");

        var answer = await peer.ReceiveJsonAsync();
        Assert.Equal("s:2", answer.GetProperty("id").GetString());
        Assert.Equal("abab", answer.GetProperty("result").GetString());
    }

    [Fact]
    public async Task ServerCall_VoidHandler_IsAnsweredWithNull()
    {
        var (client, peer) = await ConnectAsync();
        var seen = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        client.AddMethod("store", (int value) => { seen.TrySetResult(value); });

        await peer.SendAsync("""{"jsonrpc":"2.0","id":"s:3","method":"store","params":[41]}""");

        var answer = await peer.ReceiveJsonAsync();
        Assert.Equal(JsonValueKind.Null, answer.GetProperty("result").ValueKind);
        Assert.Equal(41, await seen.Task.DefaultTimeout());
    }

    [Fact]
    public async Task ServerCall_Unknown_IsMethodNotFound()
    {
        var (client, peer) = await ConnectAsync();

        await peer.SendAsync("""{"jsonrpc":"2.0","id":"s:4","method":"nope"}""");

        AssertError(await peer.ReceiveJsonAsync(), "s:4", -32601);
    }

    [Fact]
    public async Task ServerCall_BadParams_IsInvalidParams()
    {
        var (client, peer) = await ConnectAsync();
        client.AddMethod("confirm", (string question) => true);

        await peer.SendAsync("""{"jsonrpc":"2.0","id":"s:5","method":"confirm","params":[{"not":"a string"}]}""");
        AssertError(await peer.ReceiveJsonAsync(), "s:5", -32602);

        await peer.SendAsync("""{"jsonrpc":"2.0","id":"s:6","method":"confirm","params":["a","b"]}""");
        AssertError(await peer.ReceiveJsonAsync(), "s:6", -32602);

        await peer.SendAsync("""{"jsonrpc":"2.0","id":"s:7","method":"confirm"}""");
        AssertError(await peer.ReceiveJsonAsync(), "s:7", -32602);
    }

    [Fact]
    public async Task ServerCall_HandlerThrows_IsInternalErrorWithoutItsDetails()
    {
        var (client, peer) = await ConnectAsync();
        client.AddMethod("explode", Explode);

        await peer.SendAsync("""{"jsonrpc":"2.0","id":"s:8","method":"explode"}""");

        var answer = await peer.ReceiveJsonAsync();
        AssertError(answer, "s:8", -32603);
        Assert.Equal("Internal error", answer.GetProperty("error").GetProperty("message").GetString());
        Assert.DoesNotContain("secret", answer.GetRawText(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ServerCall_HandlerThrowsRpcCallException_KeepsItsCodeMessageAndData()
    {
        var (client, peer) = await ConnectAsync();
        client.AddMethod("refuse", new Func<bool>(() => throw new RpcCallException(-32050, "Refused here", JsonSerializer.SerializeToElement(new { why = "policy" }))));

        await peer.SendAsync("""{"jsonrpc":"2.0","id":"s:9","method":"refuse","params":[]}""");

        var answer = await peer.ReceiveJsonAsync();
        AssertError(answer, "s:9", -32050);
        var error = answer.GetProperty("error");
        Assert.Equal("Refused here", error.GetProperty("message").GetString());
        Assert.Equal("policy", error.GetProperty("data").GetProperty("why").GetString());
    }

    [Fact]
    public async Task ServerCancelRequest_FiresTheHandlersToken()
    {
        var (client, peer) = await ConnectAsync();
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var cancelled = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        client.AddMethod("wait", async (CancellationToken token) =>
        {
            started.TrySetResult();
            using var registration = token.Register(() => cancelled.TrySetResult());
            await Task.Delay(Timeout.Infinite, token);
        });

        await peer.SendAsync("""{"jsonrpc":"2.0","id":"s:10","method":"wait","params":[]}""");
        await started.Task.DefaultTimeout();
        await peer.SendAsync("""{"jsonrpc":"2.0","method":"$/cancelRequest","params":{"id":"s:10"}}""");

        await cancelled.Task.DefaultTimeout();
        AssertError(await peer.ReceiveJsonAsync(), "s:10", -32800);
    }

    [Fact]
    public async Task ServerNotification_RunsTheMethod_AndIsNotAnswered()
    {
        var (client, peer) = await ConnectAsync();
        var seen = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        client.AddMethod("note", (string text) => seen.TrySetResult(text));

        await peer.SendAsync("""{"jsonrpc":"2.0","method":"note","params":["hello"]}""");
        Assert.Equal("hello", await seen.Task.DefaultTimeout());

        // The next message the client sends is its own call, not an answer to the notification.
        // Both sides are awaited together, so the call is observed even when the peer's checks fail.
        var call = client.CallAsync<long>("add", 1, 2);
        await Task.WhenAll(call, AnswerAddAsync()).DefaultTimeout();
        Assert.Equal(3L, await call);

        async Task AnswerAddAsync()
        {
            var request = await peer.ReceiveJsonAsync();
            Assert.Equal("add", request.GetProperty("method").GetString());
            Assert.Equal(JsonValueKind.Number, request.GetProperty("id").ValueKind);
            await peer.SendAsync($$"""{"jsonrpc":"2.0","id":{{request.GetProperty("id").GetInt64()}},"result":3}""");
        }
    }

    [Fact]
    public async Task ServerCallsPastMaxConcurrentServerCalls_AreAnsweredBusyAtOnce_NotificationsDropped()
    {
        using var logs = new ActorRpc.Testing.CapturedLogs(LogLevel.Debug);
        using var loggerFactory = LoggerFactory.Create(builder => builder.AddProvider(logs).SetMinimumLevel(LogLevel.Debug));
        var (client, peer) = await ConnectAsync(options =>
        {
            options.MaxConcurrentServerCalls = 2;
            options.LoggerFactory = loggerFactory;
        });
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var bothStarted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var started = 0;
        client.AddMethod("wait", async () =>
        {
            if (Interlocked.Increment(ref started) == 2)
            {
                bothStarted.TrySetResult();
            }

            await gate.Task;
            return "done";
        });
        await peer.SendAsync("""{"jsonrpc":"2.0","id":"s:1","method":"wait"}""");
        await peer.SendAsync("""{"jsonrpc":"2.0","id":"s:2","method":"wait"}""");
        await bothStarted.Task.DefaultTimeout();

        await peer.SendAsync("""{"jsonrpc":"2.0","id":"s:3","method":"wait"}""");
        var busy = await peer.ReceiveJsonAsync();
        AssertError(busy, "s:3", -32001);
        Assert.Contains("Too many calls from the server in progress", busy.GetProperty("error").GetProperty("message").GetString(), StringComparison.Ordinal);

        await peer.SendAsync("""{"jsonrpc":"2.0","method":"wait"}""");
        await logs.WaitForAsync(entry => entry.Level == LogLevel.Warning && entry.Message.Contains("notification of [wait] was dropped", StringComparison.Ordinal));
        Assert.Equal(2, Volatile.Read(ref started));

        gate.TrySetResult();
        var answers = new[] { await peer.ReceiveJsonAsync(), await peer.ReceiveJsonAsync() };
        Assert.Equal(["s:1", "s:2"], answers.Select(answer => answer.GetProperty("id").GetString()).Order());
        Assert.All(answers, answer => Assert.Equal("done", answer.GetProperty("result").GetString()));
    }

    [Fact]
    public async Task MaxConcurrentServerCalls_BelowOne_IsRefused()
    {
        var error = await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => ActorRpcClient.ConnectAsync(Server.Url, options => options.MaxConcurrentServerCalls = 0));
        Assert.Equal(nameof(ActorRpcClientOptions.MaxConcurrentServerCalls), error.ParamName);
    }

    [Fact]
    public async Task DuplicateServerId_IsRefused_AndTheCancelReachesTheRunningCall()
    {
        var (client, peer) = await ConnectAsync();
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var cancelled = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var calls = 0;
        client.AddMethod("wait", async (CancellationToken token) =>
        {
            var call = Interlocked.Increment(ref calls);
            if (call == 1)
            {
                using var registration = token.Register(() => cancelled.TrySetResult());
                started.TrySetResult();
                await Task.Delay(Timeout.Infinite, token);
            }

            return call;
        });
        await peer.SendAsync("""{"jsonrpc":"2.0","id":"s:1","method":"wait"}""");
        await started.Task.DefaultTimeout();

        // The same id again while the first runs: refused, so a cancel names one call only.
        await peer.SendAsync("""{"jsonrpc":"2.0","id":"s:1","method":"wait"}""");
        AssertError(await peer.ReceiveJsonAsync(), "s:1", -32600);

        await peer.SendAsync("""{"jsonrpc":"2.0","method":"$/cancelRequest","params":{"id":"s:1"}}""");
        await cancelled.Task.DefaultTimeout();
        AssertError(await peer.ReceiveJsonAsync(), "s:1", -32800);
        Assert.Equal(1, Volatile.Read(ref calls));
    }

    [Fact]
    public async Task RemovedMethod_IsMethodNotFound()
    {
        var (client, peer) = await ConnectAsync();
        var handle = client.AddMethod("confirm", () => true);
        handle.Dispose();

        await peer.SendAsync("""{"jsonrpc":"2.0","id":"s:11","method":"confirm"}""");

        AssertError(await peer.ReceiveJsonAsync(), "s:11", -32601);
    }

    [Fact]
    public async Task MalformedFrames_AreLoggedAndIgnored_AndTheConnectionGoesOn()
    {
        using var logs = new ActorRpc.Testing.CapturedLogs(LogLevel.Debug);
        using var loggerFactory = LoggerFactory.Create(builder => builder.AddProvider(logs).SetMinimumLevel(LogLevel.Debug));
        var (client, peer) = await ConnectAsync(options => options.LoggerFactory = loggerFactory);
        var call = client.CallAsync<string>("anything");
        var request = await peer.ReceiveJsonAsync();
        var id = request.GetProperty("id").GetInt64();

        await peer.SendAsync("not json at all");
        await peer.SendAsync("""{"jsonrpc":"2.0"}""");
        await peer.SendAsync("""[1,"two",null]""");
        await peer.SendAsync("""{"jsonrpc":"2.0","id":"unknown","result":1}""");
        await peer.SendAsync("""{"jsonrpc":"2.0","id":999999,"result":1}""");
        await peer.SendAsync("""{"jsonrpc":"2.0","id":1,"error":{"code":"not a number"}}""");
        await peer.SendAsync("""{"jsonrpc":"2.0","method":42}""");
        await peer.SendAsync($$"""{"jsonrpc":"2.0","id":{{id}},"result":"still here"}""");

        Assert.Equal("still here", await call.DefaultTimeout());
        Assert.Equal(RpcConnectionState.Connected, client.State);
        Assert.Contains(logs.Entries, entry => entry.Level == LogLevel.Warning && entry.Message.Contains("not JSON", StringComparison.Ordinal));
        Assert.Contains(logs.Entries, entry => entry.Message.Contains("neither a request nor a response", StringComparison.Ordinal));
        Assert.Contains(logs.Entries, entry => entry.Message.Contains("[999999]", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ErrorAnswerFromTheServer_CarriesCodeAndData()
    {
        var (client, peer) = await ConnectAsync();
        var call = client.CallAsync<string>("anything");
        var id = (await peer.ReceiveJsonAsync()).GetProperty("id").GetInt64();

        await peer.SendAsync("""{"jsonrpc":"2.0","id":""" + id + ""","error":{"code":-32029,"message":"Too many requests","data":{"retryAfterMs":250}}}""");

        var error = await Assert.ThrowsAsync<RpcCallException>(() => call.DefaultTimeout());
        Assert.Equal(-32029, error.Code);
        Assert.Equal(250, error.ErrorData!.Value.GetProperty("retryAfterMs").GetInt32());
    }

    [Fact]
    public async Task ServerAnswersInABatchArray_EachCallGetsItsAnswer()
    {
        var (client, peer) = await ConnectAsync();
        Task<long> one = null!;
        Task<long> two = null!;
        var batch = client.BatchAsync(b =>
        {
            one = b.Call<long>("x");
            two = b.Call<long>("y");
        });
        var sent = await peer.ReceiveJsonAsync();
        Assert.Equal(JsonValueKind.Array, sent.ValueKind);
        var ids = sent.EnumerateArray().Select(entry => entry.GetProperty("id").GetInt64()).ToArray();

        await peer.SendAsync($$"""[{"jsonrpc":"2.0","id":{{ids[1]}},"result":2},{"jsonrpc":"2.0","id":{{ids[0]}},"result":1}]""");

        await batch.DefaultTimeout();
        Assert.Equal(1L, await one);
        Assert.Equal(2L, await two);
    }

    [Fact]
    public async Task ConnectionDrop_FailsCallsInFlightAtOnce()
    {
        var (client, peer) = await ConnectAsync();
        var closed = new TaskCompletionSource<RpcClosedEventArgs>(TaskCreationOptions.RunContinuationsAsynchronously);
        client.Closed += (_, args) => closed.TrySetResult(args);
        var call = client.CallAsync<string>("never_answered");
        await peer.ReceiveJsonAsync();

        peer.Abort();

        await Assert.ThrowsAsync<RpcConnectionLostException>(() => call.DefaultTimeout());
        await closed.Task.DefaultTimeout();
        Assert.Equal(RpcConnectionState.Closed, client.State);
        await Assert.ThrowsAsync<RpcConnectionLostException>(() => client.CallAsync<string>("after").DefaultTimeout());
    }

    [Fact]
    public async Task MessageLargerThanMaxMessageSize_ClosesWith1009()
    {
        var (client, peer) = await ConnectAsync(options => options.MaxMessageSize = 1024);

        await peer.SendAsync($$"""{"jsonrpc":"2.0","method":"big","params":["{{new string('x', 4096)}}"]}""");

        Assert.Equal(WebSocketCloseStatus.MessageTooBig, await peer.ReceiveCloseAsync());
    }

    [Fact]
    public async Task Dispose_ClosesWith1000()
    {
        var (client, peer) = await ConnectAsync();
        var closing = peer.ReceiveCloseAsync();

        await client.DisposeAsync();

        Assert.Equal(WebSocketCloseStatus.NormalClosure, await closing);
    }

    [Fact]
    public async Task AccessToken_IsSentOnTheUpgrade_AndAskedAgainOnEachReconnect()
    {
        var asked = 0;
        var client = await ActorRpcClient.ConnectAsync(Server.Url, options =>
        {
            options.AccessToken = () => "token-" + Interlocked.Increment(ref asked);
            options.Reconnect.InitialDelay = TimeSpan.FromMilliseconds(20);
            options.Reconnect.MaxDelay = TimeSpan.FromMilliseconds(100);
        }).DefaultTimeout();
        Track(client);
        var first = await Server.NextPeerAsync();
        Assert.Equal("Bearer token-1", first.Authorization);
        var reconnected = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        client.Reconnected += (_, _) => reconnected.TrySetResult();

        first.Abort();

        var second = await Server.NextPeerAsync();
        Assert.Equal("Bearer token-2", second.Authorization);
        await reconnected.Task.DefaultTimeout();
    }

    private static bool Explode() => throw new InvalidOperationException("secret internals");

    private static void AssertError(JsonElement answer, string id, int code)
    {
        Assert.Equal(id, answer.GetProperty("id").GetString());
        Assert.Equal(code, answer.GetProperty("error").GetProperty("code").GetInt32());
        Assert.False(answer.TryGetProperty("result", out _));
    }
}
