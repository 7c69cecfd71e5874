using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using ActorRpc.Testing;
using ActorRpc.Tests.Infrastructure;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ActorRpc.Tests.Gateway;

/// <summary>
/// Who opens a connection when the default scheme fails: a 401 only for a request that presented
/// credentials (an <c>Authorization</c> header or <c>access_token</c>); anyone else is anonymous,
/// as a browser with a stale cookie is when cookies are the default scheme.
/// </summary>
public sealed class ConnectionIdentitySpec
{
    private const string Ping = """{"jsonrpc":"2.0","method":"ping","id":1}""";

    [Fact]
    public async Task FailingDefaultScheme_NoCredentialsPresented_CallerIsAnonymous()
    {
        await using var app = await StartAsync();

        using var response = await PostAsync(app, "/rpc", authorization: null);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("pong", body.RootElement.GetProperty("result").GetString());

        await using var socket = await RpcTestSocket.ConnectAsync(app.Url);
        Assert.Equal("pong", (await socket.CallAsync("ping")).GetProperty("result").GetString());
    }

    [Fact]
    public async Task FailingDefaultScheme_AuthorizationHeader_Refused401()
    {
        await using var app = await StartAsync();

        using var response = await PostAsync(app, "/rpc", new AuthenticationHeaderValue("Bearer", "stale"));
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task FailingDefaultScheme_AccessTokenQuery_Refused401()
    {
        await using var app = await StartAsync();

        using var response = await PostAsync(app, "/rpc?access_token=stale", authorization: null);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    private static Task<ActorRpcTestServer> StartAsync() => ActorRpcTestServer.StartAsync(
        rpc => rpc.AddMethod("ping", () => "pong"),
        options => options.ConfigureBuilder = builder =>
        {
            builder.Services.AddAuthentication(StaleCookieHandler.SchemeName)
                .AddScheme<AuthenticationSchemeOptions, StaleCookieHandler>(StaleCookieHandler.SchemeName, null);
            builder.Services.AddAuthorization();
        });

    private static async Task<HttpResponseMessage> PostAsync(ActorRpcTestServer app, string path, AuthenticationHeaderValue? authorization)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(app.BaseAddress, path))
        {
            Content = new StringContent(Ping, Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = authorization;
        using var http = app.CreateHttpClient();
        return await http.SendAsync(request).DefaultTimeout();
    }

    /// <summary>A default scheme that always fails, as the cookie scheme does for a cookie it can no longer read.</summary>
    private sealed class StaleCookieHandler(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder)
        : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
    {
        public const string SchemeName = "StaleCookie";

        protected override Task<AuthenticateResult> HandleAuthenticateAsync() =>
            Task.FromResult(AuthenticateResult.Fail("The cookie cannot be read."));
    }
}
