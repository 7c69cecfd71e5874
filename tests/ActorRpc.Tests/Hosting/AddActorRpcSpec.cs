using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using ActorRpc.Testing;
using ActorRpc.Tests.Infrastructure;
using Akka.Actor;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace ActorRpc.Tests.Hosting;

/// <summary>
/// Issue 11: ActorRpc added to an application of its own with AddActorRpc / MapActorRpc, and with
/// ActorRpc's own actor system. The application serves only what it registered, and the library
/// maps nothing it was not asked for. Tests of what an endpoint does once mapped (paths, conventions,
/// origins, topics) run on the test kit's <see cref="ActorRpcTestServer"/>, which has an actor system
/// of its own; the rest use <see cref="LibraryApp"/>, an application exactly as the README writes it.
/// </summary>
public sealed class AddActorRpcSpec
{
    [Fact]
    public async Task TwoLineApp_OwnMethodsAndTopics_ServedAndListedAlone()
    {
        await using var app = await StartExampleAppAsync();
        await using var socket = await app.ConnectAsync();

        Assert.Equal(42, JsonAssert.Result(await socket.CallAsync("calc.twice", new[] { 21 })).GetInt64());
        Assert.Equal("Hello Ada", JsonAssert.Result(await socket.CallAsync("hello", new[] { "Ada" })).GetString());
        Assert.Equal(
            ["authenticate", "calc.twice", "get_methods", "get_subscriptions", "get_topics", "hello", "rpc.discover", "subscribe", "unsubscribe"],
            Strings(JsonAssert.Result(await socket.CallAsync("get_methods"))));
        Assert.Equal(["ticks"], Strings(JsonAssert.Result(await socket.CallAsync("get_topics"))));
        JsonAssert.Error(await socket.CallAsync("ping"), -32601); // No demo method leaks into an application.
        JsonAssert.Error(await socket.CallAsync("subscribe", new[] { "news" }), -32602);
    }

    [Fact]
    public async Task TwoLineApp_PostOnTheSamePath_Answered()
    {
        await using var app = await StartExampleAppAsync();
        using var response = await app.Http.PostAsync(
            "/rpc", new StringContent("""{"jsonrpc":"2.0","method":"calc.twice","params":{"x":5},"id":1}""", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        JsonAssert.Equivalent("""{"jsonrpc":"2.0","id":1,"result":10}""", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task TwoLineApp_PublishFromAnEndpoint_ReachesTheSubscriber()
    {
        await using var app = await StartExampleAppAsync();
        await using var socket = await app.ConnectAsync();
        JsonAssert.Result(await socket.CallAsync("subscribe", new[] { "ticks" }));

        using var response = await app.Http.PostAsync("/tick", content: null);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);

        var notification = await socket.ReceiveJsonAsync();
        Assert.Equal("ticks", notification.GetProperty("method").GetString());
        Assert.Equal(1, notification.GetProperty("params").GetProperty("n").GetInt32());
    }

    [Theory]
    [InlineData("/healthz")]
    [InlineData("/ready")]
    [InlineData("/metrics")]
    public async Task TwoLineApp_PathsNotAskedFor_NotMapped(string path)
    {
        await using var app = await StartExampleAppAsync();
        using var response = await app.Http.GetAsync(path);
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task HealthChecks_MappedOnRequest_LivenessAndReadinessAnswer()
    {
        await using var app = await LibraryApp.StartAsync(
            builder => builder.Services.AddActorRpc(),
            web => web.MapActorRpcHealthChecks("/live", "/ready-now"));
        Assert.Equal(HttpStatusCode.OK, (await app.Http.GetAsync("/live")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await app.Http.GetAsync("/ready-now")).StatusCode);
    }

    [Fact]
    public async Task AddActorRpc_CalledTwice_OneNodeWithBothRegistrations()
    {
        await using var app = await LibraryApp.StartAsync(
            builder =>
            {
                builder.Services.AddActorRpc().AddMethod("one", () => 1).AddTopic("t1");
                builder.Services.AddActorRpc(options => options.Limits.MaxBatchSize = 2).AddMethod("two", () => 2).AddTopic("t2");
            },
            web => web.MapActorRpc("/rpc"));
        await using var socket = await app.ConnectAsync();

        Assert.Equal(1, JsonAssert.Result(await socket.CallAsync("one")).GetInt32());
        Assert.Equal(2, JsonAssert.Result(await socket.CallAsync("two")).GetInt32());
        Assert.Equal(["t1", "t2"], Strings(JsonAssert.Result(await socket.CallAsync("get_topics"))));

        // The second call's delegate applied: a batch of three is over MaxBatchSize 2.
        await socket.SendAsync("""[{"jsonrpc":"2.0","method":"one","id":1},{"jsonrpc":"2.0","method":"one","id":2},{"jsonrpc":"2.0","method":"one","id":3}]""");
        JsonAssert.Error(await socket.ReceiveJsonAsync(), -32600);
    }

    [Fact]
    public async Task ConfigureDelegate_RunsAfterConfiguration_CodeWins()
    {
        await using var app = await LibraryApp.StartAsync(
            builder => builder.Services.AddActorRpc(options => options.Limits.MaxBatchSize = 1).AddMethod("one", () => 1),
            web => web.MapActorRpc("/rpc"),
            "--ActorRpc:Limits:MaxBatchSize=50");
        await using var socket = await app.ConnectAsync();
        await socket.SendAsync("""[{"jsonrpc":"2.0","method":"one","id":1},{"jsonrpc":"2.0","method":"one","id":2}]""");
        JsonAssert.Error(await socket.ReceiveJsonAsync(), -32600);
    }

    [Fact]
    public async Task MapActorRpc_TwoPaths_BothServeTheSameNode()
    {
        await using var app = await ActorRpcTestServer.StartAsync(
            rpc => rpc.AddMethod("one", () => 1),
            options => options.ConfigureApp = web => web.MapActorRpc("/api/v2/rpc")); // and the test server's /rpc
        await using var first = await RpcTestSocket.ConnectAsync(app.Url);
        await using var second = await RpcTestSocket.ConnectAsync(new Uri(app.Url, "/api/v2/rpc"));
        Assert.Equal(1, JsonAssert.Result(await first.CallAsync("one")).GetInt32());
        Assert.Equal(1, JsonAssert.Result(await second.CallAsync("one")).GetInt32());
    }

    [Fact]
    public async Task MapActorRpc_RequireHost_OtherHostsNotServed()
    {
        await using var app = await ActorRpcTestServer.StartAsync(
            rpc => rpc.AddMethod("one", () => 1),
            options => options.ConfigureEndpoint = endpoint => endpoint.RequireHost("rpc.example.test"));
        using var http = app.CreateHttpClient();

        using var otherHost = await http.PostAsync("/rpc", Json("""{"jsonrpc":"2.0","method":"one","id":1}"""));
        Assert.Equal(HttpStatusCode.NotFound, otherHost.StatusCode);

        using var request = new HttpRequestMessage(HttpMethod.Post, "/rpc") { Content = Json("""{"jsonrpc":"2.0","method":"one","id":1}""") };
        request.Headers.Host = "rpc.example.test";
        using var rightHost = await http.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, rightHost.StatusCode);
    }

    [Fact]
    public async Task MapActorRpc_RequireAuthorization_AnonymousRefusedOnBothTransports()
    {
        await using var app = await ActorRpcTestServer.StartAsync(
            rpc => rpc.AddMethod("whoami", (RpcContext context) => context.SessionId.Length),
            options =>
            {
                options.ConfigureBuilder = builder =>
                {
                    builder.Services.AddAuthentication(HeaderAuthenticationHandler.SchemeName)
                        .AddScheme<Microsoft.AspNetCore.Authentication.AuthenticationSchemeOptions, HeaderAuthenticationHandler>(HeaderAuthenticationHandler.SchemeName, null);
                    builder.Services.AddAuthorization();
                };
                options.ConfigureEndpoint = endpoint => endpoint.RequireAuthorization();
            });
        using var http = app.CreateHttpClient();

        using var anonymousPost = await http.PostAsync("/rpc", Json("""{"jsonrpc":"2.0","method":"whoami","id":1}"""));
        Assert.Equal(HttpStatusCode.Unauthorized, anonymousPost.StatusCode);

        using var anonymousSocket = new System.Net.WebSockets.ClientWebSocket();
        anonymousSocket.Options.CollectHttpResponseDetails = true;
        await Assert.ThrowsAsync<System.Net.WebSockets.WebSocketException>(() => anonymousSocket.ConnectAsync(app.Url, CancellationToken.None).DefaultTimeout());
        Assert.Equal(HttpStatusCode.Unauthorized, anonymousSocket.HttpStatusCode);

        using var signedIn = new HttpRequestMessage(HttpMethod.Post, "/rpc") { Content = Json("""{"jsonrpc":"2.0","method":"whoami","id":2}""") };
        signedIn.Headers.Add(HeaderAuthenticationHandler.Header, "ada");
        Assert.Equal(HttpStatusCode.OK, (await http.SendAsync(signedIn)).StatusCode);

        using var userSocket = new System.Net.WebSockets.ClientWebSocket();
        userSocket.Options.SetRequestHeader(HeaderAuthenticationHandler.Header, "ada");
        await userSocket.ConnectAsync(app.Url, CancellationToken.None).DefaultTimeout();
        Assert.Equal(System.Net.WebSockets.WebSocketState.Open, userSocket.State);
    }

    [Fact]
    public async Task AllowedOrigins_OtherBrowserOrigin_UpgradeRefusedWith403()
    {
        await using var app = await ActorRpcTestServer.StartAsync(
            rpc => rpc.AddMethod("one", () => 1),
            options => options.Settings["ActorRpc:Endpoint:AllowedOrigins:0"] = "https://app.example.test");

        using var refused = new System.Net.WebSockets.ClientWebSocket();
        refused.Options.SetRequestHeader("Origin", "https://evil.example.test");
        refused.Options.CollectHttpResponseDetails = true;
        await Assert.ThrowsAsync<System.Net.WebSockets.WebSocketException>(() => refused.ConnectAsync(app.Url, CancellationToken.None).DefaultTimeout());
        Assert.Equal(HttpStatusCode.Forbidden, refused.HttpStatusCode);

        using var allowed = new System.Net.WebSockets.ClientWebSocket();
        allowed.Options.SetRequestHeader("Origin", "https://app.example.test");
        await allowed.ConnectAsync(app.Url, CancellationToken.None).DefaultTimeout();
        Assert.Equal(System.Net.WebSockets.WebSocketState.Open, allowed.State);
    }

    [Fact]
    public async Task AllowedOrigins_PostFromOtherOrigin_RefusedBeforeTheCallRuns()
    {
        var calls = 0;
        await using var app = await ActorRpcTestServer.StartAsync(
            rpc => rpc.AddMethod("count", () => Interlocked.Increment(ref calls)),
            options => options.Settings["ActorRpc:Endpoint:AllowedOrigins:0"] = "https://app.example.test");
        using var http = app.CreateHttpClient();

        // A form-style POST a browser sends cross-site without a preflight: CORS would only hide the answer.
        using var refused = new HttpRequestMessage(HttpMethod.Post, "/rpc") { Content = new StringContent("""{"jsonrpc":"2.0","method":"count","id":1}""", Encoding.UTF8, "text/plain") };
        refused.Headers.Add("Origin", "https://evil.example.test");
        Assert.Equal(HttpStatusCode.Forbidden, (await http.SendAsync(refused)).StatusCode);

        using var allowed = new HttpRequestMessage(HttpMethod.Post, "/rpc") { Content = Json("""{"jsonrpc":"2.0","method":"count","id":2}""") };
        allowed.Headers.Add("Origin", "https://app.example.test");
        Assert.Equal(HttpStatusCode.OK, (await http.SendAsync(allowed)).StatusCode);
        Assert.Equal(1, calls);
    }

    [Fact]
    public async Task AppsOwnUseWebSockets_OriginCheckOnItsEndpoint_StillAppliesBesideActorRpc()
    {
        // Found in review: an app-wide UseWebSockets added by the library had switched the app's own one off.
        await using var app = await LibraryApp.StartAsync(
            builder => builder.Services.AddActorRpc().AddMethod("one", () => 1),
            web =>
            {
                var options = new WebSocketOptions();
                options.AllowedOrigins.Add("https://good.example.test");
                web.UseWebSockets(options);
                web.Map("/app-ws", async (HttpContext context) =>
                {
                    using var socket = await context.WebSockets.AcceptWebSocketAsync();
                    await socket.CloseAsync(System.Net.WebSockets.WebSocketCloseStatus.NormalClosure, "bye", CancellationToken.None);
                });
                web.MapActorRpc("/rpc");
            });

        using var evil = new System.Net.WebSockets.ClientWebSocket();
        evil.Options.SetRequestHeader("Origin", "https://evil.example.test");
        evil.Options.CollectHttpResponseDetails = true;
        await Assert.ThrowsAsync<System.Net.WebSockets.WebSocketException>(() => evil.ConnectAsync(app.WebSocketUri("/app-ws"), CancellationToken.None).DefaultTimeout());
        Assert.Equal(HttpStatusCode.Forbidden, evil.HttpStatusCode);

        // ActorRpc's own endpoint works in the same app, through its own pipeline.
        await using var socket = await app.ConnectAsync();
        Assert.Equal(1, JsonAssert.Result(await socket.CallAsync("one")).GetInt32());
    }

    [Fact]
    public async Task AppWithoutUseWebSockets_ItsOwnEndpoint_GetsNoUpgradeFromTheLibrary()
    {
        await using var app = await LibraryApp.StartAsync(
            builder => builder.Services.AddActorRpc(),
            web =>
            {
                web.Map("/app-ws", (HttpContext context) => context.WebSockets.IsWebSocketRequest ? Results.Ok("upgrade") : Results.Ok("plain"));
                web.MapActorRpc("/rpc");
            });

        using var request = new HttpRequestMessage(HttpMethod.Get, "/app-ws");
        request.Headers.Add("Connection", "Upgrade");
        request.Headers.Add("Upgrade", "websocket");
        request.Headers.Add("Sec-WebSocket-Version", "13");
        request.Headers.Add("Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ==");
        using var response = await app.Http.SendAsync(request);
        Assert.Equal("\"plain\"", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task ConfigureSectionOnItsOwn_StartFails_SayingWhereToConfigure()
    {
        await using var app = LibraryApp.Build(
            builder =>
            {
                builder.Services.AddActorRpc();
                builder.Services.Configure<RpcLimitsOptions>(limits => limits.MaxRequestsInFlight = 7);
            },
            web => web.MapActorRpc("/rpc"),
            [],
            out _);
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => app.StartAsync().DefaultTimeout());
        Assert.Contains("AddActorRpc(options => ...)", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void RetainLatest_OnAPattern_Refused()
    {
        var error = Assert.Throws<ArgumentException>(() => new ServiceCollection().AddActorRpc().AddTopicPattern("orders.*", topic => topic.RetainLatest = true));
        Assert.Contains("RetainLatest", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void MapActorRpc_WithoutAddActorRpc_SaysWhatToAdd()
    {
        var error = Assert.Throws<InvalidOperationException>(() =>
            LibraryApp.Build(_ => { }, web => web.MapActorRpc("/rpc"), [], out _));
        Assert.Contains("AddActorRpc()", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TopicWithRetainLatest_EveryNotifyRetained_NewSubscriberGetsTheLast()
    {
        await using var app = await ActorRpcTestServer.StartAsync(rpc => rpc.AddTopic("price", topic => topic.RetainLatest = true).AddTopic("plain"));
        var publisher = app.Publisher;
        publisher.Publish("price", new { bid = 1 });

        // Published again on each try: the first notifies may precede the topic's pub/sub registration.
        await Eventually.AssertAsync(async () =>
        {
            publisher.Publish("price", new { bid = 2 });
            publisher.Publish("plain", new { n = 1 });
            await using var probe = await RpcTestSocket.ConnectAsync(app.Url);
            JsonAssert.Result(await probe.CallAsync("subscribe", new[] { "price" }));
            try
            {
                Assert.Equal(2, (await probe.ReceiveJsonAsync(TestTimeouts.Short)).GetProperty("params").GetProperty("bid").GetInt32());
            }
            catch (OperationCanceledException)
            {
                Assert.Fail("No retained notification yet.");
            }
        });

        await using var socket = await RpcTestSocket.ConnectAsync(app.Url);
        JsonAssert.Result(await socket.CallAsync("subscribe", new[] { "plain" }));
        await socket.ExpectNoMessageAsync(); // Not retained: published without retain, and the topic does not retain by itself.
    }

    /// <summary>The example, verbatim but for a publishing endpoint.</summary>
    private static Task<LibraryApp> StartExampleAppAsync() => LibraryApp.StartAsync(
        builder => builder.Services.AddActorRpc()
            .AddMethods<Calc>("calc")
            .AddMethod("hello", (string name) => $"Hello {name}")
            .AddTopic("ticks"),
        web =>
        {
            web.MapActorRpc("/rpc");
            web.MapPost("/tick", (ITopicPublisher publisher) =>
            {
                publisher.Publish("ticks", new { n = 1 });
                return Results.Ok();
            });
        });

    private static string[] Strings(JsonElement array) => [.. array.EnumerateArray().Select(e => e.GetString()!)];

    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    public sealed class Calc
    {
        [RpcMethod]
        public static long Twice(long x) => 2 * x;
    }
}
