using System.Net;
using System.Net.WebSockets;
using System.Text;
using ActorRpc.Testing;
using ActorRpc.Tests.Infrastructure;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace ActorRpc.Tests.Hosting;

/// <summary>
/// Issue 12: <c>ActorRpc:Endpoint:AllowedOrigins</c> both ways, on both transports (a listed origin
/// gets a session; any other gets 403 and no session is ever started), and the start-up refusal of
/// a node that signs users in with cookies but allows every origin (cross-site WebSocket hijacking).
/// </summary>
public sealed class AllowedOriginsSpec
{
    private const string Listed = "https://app.example.test";
    private const string Other = "https://evil.example.test";

    [Fact]
    public async Task OtherOrigin_UpgradeAndPost_403AndNoSessionStarted()
    {
        var calls = 0;
        await using var app = await StartAsync(() => Interlocked.Increment(ref calls));
        using var sessions = new SessionStarts(app.Services);

        using var socket = new ClientWebSocket();
        socket.Options.SetRequestHeader("Origin", Other);
        socket.Options.CollectHttpResponseDetails = true;
        await Assert.ThrowsAsync<WebSocketException>(() => socket.ConnectAsync(app.Url, CancellationToken.None).DefaultTimeout());
        Assert.Equal(HttpStatusCode.Forbidden, socket.HttpStatusCode);

        using var post = Post(Other);
        using var http = app.CreateHttpClient();
        Assert.Equal(HttpStatusCode.Forbidden, (await http.SendAsync(post).DefaultTimeout()).StatusCode);

        // Both refusals were answered, so anything they would have started has started by now.
        Assert.Equal(0, sessions.Count);
        Assert.Equal(0, calls);
        Assert.Equal(2, app.Logs.Entries.Count(entry => entry.Message.Contains(Other, StringComparison.Ordinal) && entry.Message.Contains("403", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task ListedOrigin_UpgradeAndPost_SessionsServeCalls()
    {
        var calls = 0;
        await using var app = await StartAsync(() => Interlocked.Increment(ref calls));
        using var sessions = new SessionStarts(app.Services);

        await using (var socket = await RpcTestSocket.ConnectAsync(app.Url, options => options.SetRequestHeader("Origin", Listed)))
        {
            Assert.Equal(1, JsonAssert.Result(await socket.CallAsync("count")).GetInt32());
        }

        using var post = Post(Listed);
        using var http = app.CreateHttpClient();
        using var response = await http.SendAsync(post).DefaultTimeout();
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        JsonAssert.Equivalent("""{"jsonrpc":"2.0","id":1,"result":2}""", await response.Content.ReadAsStringAsync());
        Assert.Equal(2, sessions.Count);
    }

    [Fact]
    public async Task CookieScheme_NoAllowedOrigins_StartRefusedSayingWhyAndWhichKey()
    {
        await using var app = LibraryApp.Build(
            builder =>
            {
                builder.Services.AddAuthentication().AddCookie("session");
                builder.Services.AddActorRpc().AddMethod("one", () => 1);
            },
            web => web.MapActorRpc("/rpc"),
            [],
            out _);

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => app.StartAsync().DefaultTimeout());
        Assert.Contains("cross-site WebSocket hijacking", error.Message, StringComparison.Ordinal);
        Assert.Contains("ActorRpc:Endpoint:AllowedOrigins", error.Message, StringComparison.Ordinal);
        Assert.Contains("'session'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ClientCertificateScheme_NoAllowedOrigins_StartRefused()
    {
        // A browser presents a client certificate to a cross-site upgrade too, as it sends cookies.
        await using var app = LibraryApp.Build(
            builder =>
            {
                builder.Services.AddAuthentication().AddCertificate("mtls");
                builder.Services.AddActorRpc().AddMethod("one", () => 1);
            },
            web => web.MapActorRpc("/rpc"),
            [],
            out _);

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => app.StartAsync().DefaultTimeout());
        Assert.Contains("cross-site WebSocket hijacking", error.Message, StringComparison.Ordinal);
        Assert.Contains("'mtls'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CookieScheme_WithAllowedOrigins_Starts()
    {
        await using var app = await ActorRpcTestServer.StartAsync(
            rpc => rpc.AddMethod("one", () => 1),
            options =>
            {
                options.Settings["ActorRpc:Endpoint:AllowedOrigins:0"] = Listed;
                options.ConfigureBuilder = builder => builder.Services.AddAuthentication().AddCookie();
            });
        await using var socket = await RpcTestSocket.ConnectAsync(app.Url);
        Assert.Equal(1, JsonAssert.Result(await socket.CallAsync("one")).GetInt32());
    }

    [Fact]
    public async Task HeaderSchemeOnly_NoAllowedOrigins_Starts()
    {
        // Credentials a foreign page cannot attach (a header): any origin stays allowed.
        await using var app = await ActorRpcTestServer.StartAsync(
            rpc => rpc.AddMethod("one", () => 1),
            options => options.ConfigureBuilder = builder => builder.Services.AddAuthentication(HeaderAuthenticationHandler.SchemeName)
                .AddScheme<AuthenticationSchemeOptions, HeaderAuthenticationHandler>(HeaderAuthenticationHandler.SchemeName, null));
        await using var socket = await RpcTestSocket.ConnectAsync(app.Url, options => options.SetRequestHeader("Origin", Other));
        Assert.Equal(1, JsonAssert.Result(await socket.CallAsync("one")).GetInt32());
    }

    private static Task<ActorRpcTestServer> StartAsync(Func<int> count) => ActorRpcTestServer.StartAsync(
        rpc => rpc.AddMethod("count", count),
        options => options.Settings["ActorRpc:Endpoint:AllowedOrigins:0"] = Listed);

    private static HttpRequestMessage Post(string origin)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/rpc")
        {
            Content = new StringContent("""{"jsonrpc":"2.0","method":"count","id":1}""", Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("Origin", origin);
        return request;
    }
}
