using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json;
using ActorRpc.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace ActorRpc.Tests.ClientCalls;

/// <summary>
/// Issue 14, calls from the server to the client: a handler (or any service, by session id) calls a
/// method of the connected client and gets its result, its error, or a clear exception when it
/// cannot answer. The client side is a raw socket, so every frame on the wire is checked.
/// </summary>
public sealed class ClientCallSpec
{
    // Long enough that no test here can pass by timing out instead of by what it tests.
    private const string NoTimeout = "--ActorRpc:Limits:ClientCallTimeout=00:05:00";

    [Fact]
    public async Task HandlerCallsClient_PositionalParams_TypedResult()
    {
        await using var app = await ClientCallApp.StartAsync(new ClientCallProbe());
        await using var socket = await RpcTestSocket.ConnectAsync(app.Url);

        await socket.SendAsync("""{"jsonrpc":"2.0","method":"ask_sum","id":1}""");
        var request = await socket.ReceiveJsonAsync();
        JsonAssert.Equivalent("""{"jsonrpc":"2.0","id":"s:1","method":"sum","params":[2,3]}""", request.GetRawText());

        await ClientCallApp.SendResultAsync(socket, "s:1", "5");
        Assert.Equal(50, JsonAssert.Result(await socket.ReceiveJsonAsync()).GetInt64());
    }

    [Fact]
    public async Task HandlerCallsClient_NamedParams_ObjectResultBound()
    {
        await using var app = await ClientCallApp.StartAsync(new ClientCallProbe());
        await using var socket = await RpcTestSocket.ConnectAsync(app.Url);

        await socket.SendAsync("""{"jsonrpc":"2.0","method":"ask_named","id":1}""");
        var request = await socket.ReceiveJsonAsync();
        JsonAssert.Equivalent("""{"jsonrpc":"2.0","id":"s:1","method":"greet","params":{"name":"Ada","times":2}}""", request.GetRawText());

        await ClientCallApp.SendResultAsync(socket, "s:1", """{"text":"Hello Ada","length":9}""");
        Assert.Equal("Hello Ada/9", JsonAssert.Result(await socket.ReceiveJsonAsync()).GetString());
    }

    [Fact]
    public async Task HandlerCallsClient_NoParams_ParamsLeftOutAndIdsCountUp()
    {
        await using var app = await ClientCallApp.StartAsync(new ClientCallProbe());
        await using var socket = await RpcTestSocket.ConnectAsync(app.Url);

        for (var n = 1; n <= 2; n++)
        {
            await socket.SendAsync($$"""{"jsonrpc":"2.0","method":"ask_none","id":{{n}}}""");
            var request = await socket.ReceiveJsonAsync();
            JsonAssert.Equivalent($$"""{"jsonrpc":"2.0","id":"s:{{n}}","method":"version"}""", request.GetRawText());
            await ClientCallApp.SendResultAsync(socket, $"s:{n}", "\"1.0\"");
            Assert.Equal("1.0", JsonAssert.Result(await socket.ReceiveJsonAsync()).GetString());
        }
    }

    [Fact]
    public async Task ClientAnswersError_WithData_RpcClientExceptionWithCodeMessageAndData()
    {
        await using var app = await ClientCallApp.StartAsync(new ClientCallProbe());
        await using var socket = await RpcTestSocket.ConnectAsync(app.Url);

        await socket.SendAsync("""{"jsonrpc":"2.0","method":"try_ask","params":{"method":"confirm"},"id":1}""");
        var request = await socket.ReceiveJsonAsync();
        Assert.Equal("s:1", request.GetProperty("id").GetString());
        await socket.SendAsync("""{"jsonrpc":"2.0","id":"s:1","error":{"code":-32042,"message":"Not now","data":{"why":"busy"}}}""");

        var outcome = JsonAssert.Result(await socket.ReceiveJsonAsync());
        Assert.Equal(nameof(RpcClientException), outcome.GetProperty("exception").GetString());
        Assert.Equal(-32042, outcome.GetProperty("code").GetInt32());
        Assert.Equal("Not now", outcome.GetProperty("message").GetString());
        Assert.Equal("confirm", outcome.GetProperty("clientMethod").GetString());
        JsonAssert.Equivalent("""{"why":"busy"}""", outcome.GetProperty("data").GetRawText());
    }

    [Fact]
    public async Task ClientDisconnectsMidCall_RpcClientGoneExceptionAtOnce()
    {
        var probe = new ClientCallProbe();
        await using var app = await ClientCallApp.StartAsync(probe, NoTimeout);
        await using var socket = await RpcTestSocket.ConnectAsync(app.Url);

        await socket.SendAsync("""{"jsonrpc":"2.0","method":"try_ask_untied","params":{"method":"confirm"},"id":1}""");
        Assert.True(ClientCallApp.IsServerRequest(await socket.ReceiveJsonAsync()));
        socket.Socket.Abort();

        var outcome = await probe.NextAsync(); // Bounded by the long wait, far below ClientCallTimeout.
        Assert.Equal(nameof(RpcClientGoneException), outcome.Exception);
    }

    [Fact]
    public async Task ClientDoesNotAnswer_ShortClientCallTimeout_TimeoutExceptionAndClientToldToCancel()
    {
        await using var app = await ClientCallApp.StartAsync(new ClientCallProbe(), "--ActorRpc:Limits:ClientCallTimeout=00:00:00.300");
        await using var socket = await RpcTestSocket.ConnectAsync(app.Url);

        await socket.SendAsync("""{"jsonrpc":"2.0","method":"try_ask","params":{"method":"slow"},"id":1}""");
        Assert.True(ClientCallApp.IsServerRequest(await socket.ReceiveJsonAsync()));

        var frames = await ClientCallApp.ReceiveAsync(socket, 2);
        var cancel = Assert.Single(frames, f => f.TryGetProperty("method", out _));
        JsonAssert.Equivalent("""{"jsonrpc":"2.0","method":"$/cancelRequest","params":{"id":"s:1"}}""", cancel.GetRawText());
        var outcome = JsonAssert.Result(Assert.Single(frames, f => !f.TryGetProperty("method", out _)));
        Assert.Equal(nameof(TimeoutException), outcome.GetProperty("exception").GetString());
        Assert.Contains("ActorRpc:Limits:ClientCallTimeout", outcome.GetProperty("message").GetString());

        // A late answer is a stray response now: ignored, never answered.
        await ClientCallApp.SendResultAsync(socket, "s:1", "1");
        Assert.Equal("pong", JsonAssert.Result(await socket.CallAsync("ping")).GetString());
    }

    [Fact]
    public async Task CallerCancels_ClientToldToCancelAndCallForgotten()
    {
        var probe = new ClientCallProbe();
        await using var app = await ClientCallApp.StartAsync(probe, NoTimeout);
        await using var socket = await RpcTestSocket.ConnectAsync(app.Url);

        await socket.SendAsync("""{"jsonrpc":"2.0","method":"try_ask","params":{"method":"slow"},"id":1}""");
        Assert.True(ClientCallApp.IsServerRequest(await socket.ReceiveJsonAsync()));

        // The client cancels its own call; the handler's token fires, and with it the call to the client.
        await socket.SendAsync("""{"jsonrpc":"2.0","method":"$/cancelRequest","params":{"id":1}}""");
        var frames = await ClientCallApp.ReceiveAsync(socket, 2);
        JsonAssert.Error(Assert.Single(frames, f => f.TryGetProperty("error", out _)), -32800);
        var cancel = Assert.Single(frames, f => f.TryGetProperty("method", out _));
        JsonAssert.Equivalent("""{"jsonrpc":"2.0","method":"$/cancelRequest","params":{"id":"s:1"}}""", cancel.GetRawText());
        Assert.Contains((await probe.NextAsync()).Exception, new[] { nameof(OperationCanceledException), nameof(TaskCanceledException) });
    }

    [Fact]
    public async Task IRpcClients_FromAnEndpointBySessionId_CallsThatClient()
    {
        await using var app = await ClientCallApp.StartAsync(new ClientCallProbe());
        await using var socket = await RpcTestSocket.ConnectAsync(app.Url);
        var sessionId = JsonAssert.Result(await socket.CallAsync("session_id")).GetString()!;

        using var http = app.CreateHttpClient();
        var asked = http.GetStringAsync($"/ask/{sessionId}/whoami");
        var request = await socket.ReceiveJsonAsync();
        JsonAssert.Equivalent("""{"jsonrpc":"2.0","id":"s:1","method":"whoami","params":["from outside"]}""", request.GetRawText());
        await ClientCallApp.SendResultAsync(socket, "s:1", "\"Ada\"");

        Assert.Equal("Ada", await asked.DefaultTimeout());
    }

    [Fact]
    public async Task IRpcClients_UnknownSessions_RpcClientGoneExceptionFast()
    {
        await using var app = await ClientCallApp.StartAsync(new ClientCallProbe(), NoTimeout);
        await using var socket = await RpcTestSocket.ConnectAsync(app.Url);
        var sessionId = JsonAssert.Result(await socket.CallAsync("session_id")).GetString()!;
        var clients = app.Services.GetRequiredService<IRpcClients>();
        string[] unknown =
        [
            "not-a-session",
            sessionId[..9] + new string('0', 32), // this node, no such session
            (sessionId[..8] == "ffffffff" ? "fffffffe" : "ffffffff") + sessionId[8..], // no such node
        ];

        var watch = Stopwatch.StartNew();
        foreach (var id in unknown)
        {
            var gone = await Assert.ThrowsAsync<RpcClientGoneException>(() => clients.Get(id).CallAsync("x").DefaultTimeout());
            Assert.Equal(id, gone.SessionId);
            await Assert.ThrowsAsync<RpcClientGoneException>(() => clients.Get(id).NotifyAsync("x").DefaultTimeout());
        }

        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(10), $"Took {watch.Elapsed}: gone must not wait for a timeout.");
        await socket.ExpectNoMessageAsync(); // Nothing reached the one client there is.
    }

    [Fact]
    public async Task ResponseInsideBatch_RoutedToItsCallAndNotAnswered()
    {
        await using var app = await ClientCallApp.StartAsync(new ClientCallProbe());
        await using var socket = await RpcTestSocket.ConnectAsync(app.Url);

        await socket.SendAsync("""{"jsonrpc":"2.0","method":"try_ask","params":{"method":"confirm"},"id":1}""");
        Assert.True(ClientCallApp.IsServerRequest(await socket.ReceiveJsonAsync()));
        await socket.SendAsync("""[{"jsonrpc":"2.0","id":"s:1","result":"yes"},{"jsonrpc":"2.0","method":"ping","id":2}]""");

        var frames = await ClientCallApp.ReceiveAsync(socket, 2);
        var batch = Assert.Single(frames, f => f.ValueKind == JsonValueKind.Array);
        JsonAssert.Equivalent("""[{"jsonrpc":"2.0","id":2,"result":"pong"}]""", batch.GetRawText()); // Only the request answers.
        var outcome = JsonAssert.Result(Assert.Single(frames, f => f.ValueKind == JsonValueKind.Object));
        Assert.Equal(1, Assert.Single(frames, f => f.ValueKind == JsonValueKind.Object).GetProperty("id").GetInt32());
        Assert.Equal("yes", outcome.GetProperty("result").GetString());
    }

    [Theory]
    [InlineData("""{"jsonrpc":"2.0","id":"s:1","result":1}""")]
    [InlineData("""{"jsonrpc":"2.0","id":7,"error":{"code":-32601,"message":"Method not found"}}""")]
    [InlineData("""{"jsonrpc":"2.0","id":"s:5","result":1,"error":{"code":1,"message":"x"}}""")]
    [InlineData("""{"id":null,"result":1}""")]
    [InlineData("""[{"jsonrpc":"2.0","id":"s:2","result":1},{"jsonrpc":"2.0","id":"s:3","error":{"code":1,"message":"x"}}]""")]
    public async Task StrayResponse_NeverAnswered(string stray)
    {
        await using var app = await ClientCallApp.StartAsync(new ClientCallProbe());
        await using var socket = await RpcTestSocket.ConnectAsync(app.Url);

        await socket.SendAsync(stray);

        // The next frame is the ping's answer (CallAsync fails on any other id), not an error for the stray one.
        Assert.Equal("pong", JsonAssert.Result(await socket.CallAsync("ping")).GetString());
        await socket.ExpectNoMessageAsync();
    }

    [Fact]
    public async Task StrayResponse_OverHttp_NoContent()
    {
        await using var app = await ClientCallApp.StartAsync(new ClientCallProbe());
        using var http = app.CreateHttpClient();
        using var response = await http.PostAsync(
            "/rpc", new StringContent("""{"jsonrpc":"2.0","id":"s:1","result":1}""", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
    }

    [Fact]
    public async Task NotifyAsync_ArrivesWithoutIdBeforeTheHandlersAnswer()
    {
        await using var app = await ClientCallApp.StartAsync(new ClientCallProbe());
        await using var socket = await RpcTestSocket.ConnectAsync(app.Url);

        await socket.SendAsync("""{"jsonrpc":"2.0","method":"notify_me","params":["x"],"id":1}""");
        var notification = await socket.ReceiveJsonAsync();
        JsonAssert.Equivalent("""{"jsonrpc":"2.0","method":"hello","params":["x"]}""", notification.GetRawText());
        Assert.True(JsonAssert.Result(await socket.ReceiveJsonAsync()).GetBoolean());
    }

    [Fact]
    public async Task OverHttpPost_ContextClient_NotSupportedException()
    {
        await using var app = await ClientCallApp.StartAsync(new ClientCallProbe());
        using var http = app.CreateHttpClient();
        using var response = await http.PostAsync(
            "/rpc", new StringContent("""{"jsonrpc":"2.0","method":"try_ask","params":{"method":"confirm"},"id":1}""", Encoding.UTF8, "application/json"));
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var outcome = JsonAssert.Result(document.RootElement);
        Assert.Equal(nameof(NotSupportedException), outcome.GetProperty("exception").GetString());
        Assert.Contains("WebSocket", outcome.GetProperty("message").GetString());
    }

    [Fact]
    public async Task MaxClientCallsInFlight_OneMore_InvalidOperationExceptionAndPlacesComeBack()
    {
        await using var app = await ClientCallApp.StartAsync(new ClientCallProbe(), NoTimeout, "--ActorRpc:Limits:MaxClientCallsInFlight=2");
        await using var socket = await RpcTestSocket.ConnectAsync(app.Url);

        await socket.SendAsync("""{"jsonrpc":"2.0","method":"try_ask","params":{"method":"hold"},"id":1}""");
        await socket.SendAsync("""{"jsonrpc":"2.0","method":"try_ask","params":{"method":"hold"},"id":2}""");
        await socket.SendAsync("""{"jsonrpc":"2.0","method":"try_ask","params":{"method":"hold"},"id":3}""");

        var frames = await ClientCallApp.ReceiveAsync(socket, 3);
        var requests = frames.Where(ClientCallApp.IsServerRequest).ToList();
        Assert.Equal(["s:1", "s:2"], requests.Select(r => r.GetProperty("id").GetString()).Order());
        var refused = JsonAssert.Result(Assert.Single(frames, f => !ClientCallApp.IsServerRequest(f)));
        Assert.Equal(nameof(InvalidOperationException), refused.GetProperty("exception").GetString());
        Assert.Contains("ActorRpc:Limits:MaxClientCallsInFlight", refused.GetProperty("message").GetString());

        await ClientCallApp.SendResultAsync(socket, "s:1", "1");
        await ClientCallApp.SendResultAsync(socket, "s:2", "2");
        var answers = await ClientCallApp.ReceiveAsync(socket, 2);
        Assert.All(answers, a => Assert.True(JsonAssert.Result(a).GetProperty("ok").GetBoolean()));

        // Answered calls give their places back.
        await socket.SendAsync("""{"jsonrpc":"2.0","method":"try_ask","params":{"method":"hold"},"id":4}""");
        Assert.Equal("s:3", (await socket.ReceiveJsonAsync()).GetProperty("id").GetString());
    }

    [Fact]
    public async Task EveryPlaceHeldByHandlersWaitingForTheClient_AnswersStillRead()
    {
        // Two places, both taken by handlers that call the client: its answers must still be read
        // (before the fix they waited behind the full gate until ClientCallTimeout, 5 minutes here).
        await using var app = await ClientCallApp.StartAsync(new ClientCallProbe(), NoTimeout, "--ActorRpc:Limits:MaxRequestsInFlight=2");
        await using var socket = await RpcTestSocket.ConnectAsync(app.Url);

        await socket.SendAsync("""{"jsonrpc":"2.0","method":"ask_sum","id":1}""");
        await socket.SendAsync("""{"jsonrpc":"2.0","method":"ask_sum","id":2}""");
        var requests = await ClientCallApp.ReceiveAsync(socket, 2);
        Assert.All(requests, r => Assert.True(ClientCallApp.IsServerRequest(r)));

        foreach (var request in requests)
        {
            await ClientCallApp.SendResultAsync(socket, request.GetProperty("id").GetString()!, "5");
        }

        var answers = await ClientCallApp.ReceiveAsync(socket, 2);
        Assert.Equal([1, 2], answers.Select(a => a.GetProperty("id").GetInt32()).Order());
        Assert.All(answers, a => Assert.Equal(50, JsonAssert.Result(a).GetInt64()));
    }
}
