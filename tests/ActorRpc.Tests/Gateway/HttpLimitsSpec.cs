using System.Net;
using System.Net.Http.Headers;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using ActorRpc.Testing;
using ActorRpc.Tests.Infrastructure;
using ActorRpc.Tests.Reliability;
using Microsoft.Extensions.DependencyInjection;

namespace ActorRpc.Tests.Gateway;

/// <summary>
/// Issue 12, "HTTP under the same limits", over a real Kestrel: a POST counts as a connection and
/// its handlers as running until they finish, the node-wide handler cap refuses POSTs with 503,
/// POSTs must be JSON, and an exchange cannot subscribe.
/// </summary>
public sealed class HttpLimitsSpec
{
    private const string HeldNotification = """{"jsonrpc":"2.0","method":"hold","params":{"tag":"n"}}""";

    [Fact]
    public async Task Post_NotificationStillRunning_NoContentOnlyOnceItsHandlerFinished()
    {
        var held = new HeldCalls();
        await using var server = await RpcServer.StartAsync(held.Configure);

        var response = PostAsync(server.Http, server.RpcUri, HeldNotification);
        // What the handler had done the moment the answer arrived (no waiting for "nothing happens"):
        // an early 204 would find it not started or still running.
        var handlerWhenAnswered = response.ContinueWith(
            _ => (held.Started, held.Running), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        await Eventually.AssertAsync(() => Assert.Equal(1, held.Running));

        held.ReleaseAll();
        using var answered = await response.DefaultTimeout();
        Assert.Equal(HttpStatusCode.NoContent, answered.StatusCode);
        Assert.Equal((1, 0), await handlerWhenAnswered.DefaultTimeout());
    }

    [Fact]
    public async Task Post_WhileItsHandlersRun_CountsAgainstMaxConnections()
    {
        var held = new HeldCalls();
        await using var server = await RpcServer.StartAsync(held.Configure, "--ActorRpc:Endpoint:MaxConnections=1");

        var holding = PostAsync(server.Http, server.RpcUri, HeldNotification);
        await Eventually.AssertAsync(() => Assert.Equal(1, held.Running));

        using (var refusedSocket = new ClientWebSocket())
        {
            refusedSocket.Options.CollectHttpResponseDetails = true;
            await Assert.ThrowsAsync<WebSocketException>(() => refusedSocket.ConnectAsync(server.WebSocketUri, CancellationToken.None).DefaultTimeout());
            Assert.Equal(HttpStatusCode.ServiceUnavailable, refusedSocket.HttpStatusCode);
        }

        using (var refusedPost = await PostAsync(server.Http, server.RpcUri, """{"jsonrpc":"2.0","method":"ping","id":1}"""))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, refusedPost.StatusCode);
            Assert.NotNull(refusedPost.Headers.RetryAfter);
            Assert.Contains("ActorRpc:Endpoint:MaxConnections", await refusedPost.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        held.ReleaseAll();
        using (var done = await holding.DefaultTimeout())
        {
            Assert.Equal(HttpStatusCode.NoContent, done.StatusCode);
        }

        using var again = await PostAsync(server.Http, server.RpcUri, """{"jsonrpc":"2.0","method":"ping","id":2}""");
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
    }

    [Fact]
    public async Task MaxNodeHandlers_Reached_CallServerBusyAndPostRefusedWith503()
    {
        var held = new HeldCalls();
        await using var server = await RpcServer.StartAsync(held.Configure, "--ActorRpc:Limits:MaxNodeHandlers=1");
        await using var holder = await server.ConnectAsync();
        await holder.SendAsync("""{"jsonrpc":"2.0","method":"hold","params":{"tag":"a"},"id":"held"}""");
        await Eventually.AssertAsync(() => Assert.Equal(1, held.Running));

        // Over WebSocket: a call is answered -32000 naming the setting; a notification never runs.
        await using var other = await server.ConnectAsync();
        var busy = await other.CallAsync("hold", new { tag = "b" });
        Assert.Equal(-32000, busy.GetProperty("error").GetProperty("code").GetInt32());
        Assert.Equal("Server busy", busy.GetProperty("error").GetProperty("message").GetString());
        Assert.Equal("ActorRpc:Limits:MaxNodeHandlers", busy.GetProperty("error").GetProperty("data").GetProperty("limit").GetString());
        await other.SendAsync("""{"jsonrpc":"2.0","method":"hold","params":{"tag":"c"}}""");
        Assert.True((await other.CallAsync("get_subscriptions")).TryGetProperty("result", out _)); // built-ins run no handler
        Assert.Equal(1, held.Started);

        // Over HTTP: 503 with Retry-After before anything runs.
        using (var refused = await PostAsync(server.Http, server.RpcUri, """{"jsonrpc":"2.0","method":"hold","params":{"tag":"d"},"id":1}"""))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
            Assert.NotNull(refused.Headers.RetryAfter);
            Assert.Contains("ActorRpc:Limits:MaxNodeHandlers", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        Assert.Equal(1, held.Started);
        held.ReleaseAll();
        Assert.Equal("a", JsonDocument.Parse(await holder.ReceiveAsync()).RootElement.GetProperty("result").GetString());
        await Eventually.AssertAsync(async () =>
        {
            using var accepted = await PostAsync(server.Http, server.RpcUri, """{"jsonrpc":"2.0","method":"hold","params":{"tag":"e"},"id":2}""");
            Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
        });
    }

    [Theory]
    [InlineData("text/plain")]
    [InlineData("application/x-www-form-urlencoded")]
    [InlineData("multipart/form-data; boundary=x")]
    [InlineData("application/json; charset=iso-8859-1")]
    [InlineData(null)]
    public async Task Post_NotJson_UnsupportedMediaTypeAndNothingRuns(string? contentType)
    {
        var calls = 0;
        await using var app = await ActorRpcTestServer.StartAsync(rpc => rpc.AddMethod("count", () => Interlocked.Increment(ref calls)));
        using var http = app.CreateHttpClient();

        // What a page on another site can send without a CORS preflight (and so, without the check, call with).
        using var content = new ByteArrayContent(Encoding.UTF8.GetBytes("""{"jsonrpc":"2.0","method":"count","id":1}"""));
        content.Headers.ContentType = contentType is null ? null : MediaTypeHeaderValue.Parse(contentType);
        using var response = await http.PostAsync(app.HttpUrl, content).DefaultTimeout();

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        Assert.Contains("application/json", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(0, calls);
    }

    [Theory]
    [InlineData("application/json")]
    [InlineData("application/json; charset=utf-8")]
    [InlineData("Application/JSON; charset=UTF-8")]
    [InlineData("application/json-rpc")]
    [InlineData("application/jsonrequest")]
    public async Task Post_JsonContentType_Answered(string contentType)
    {
        await using var app = await ActorRpcTestServer.StartAsync(rpc => rpc.AddMethod("count", () => 1));
        using var http = app.CreateHttpClient();

        using var content = new ByteArrayContent(Encoding.UTF8.GetBytes("""{"jsonrpc":"2.0","method":"count","id":1}"""));
        content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        using var response = await http.PostAsync(app.HttpUrl, content).DefaultTimeout();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Post_Subscribe_InvalidRequestSubscriptionsNeedWebSocket()
    {
        await using var server = await RpcServer.StartAsync();

        using var response = await PostAsync(server.Http, server.RpcUri, """{"jsonrpc":"2.0","method":"subscribe","params":["news"],"id":1}""");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var error = document.RootElement.GetProperty("error");
        Assert.Equal(-32600, error.GetProperty("code").GetInt32());
        Assert.Equal("subscriptions need a WebSocket", error.GetProperty("message").GetString());
    }

    private static Task<HttpResponseMessage> PostAsync(HttpClient http, Uri uri, string json) =>
        http.PostAsync(uri, new StringContent(json, Encoding.UTF8, "application/json"));
}
