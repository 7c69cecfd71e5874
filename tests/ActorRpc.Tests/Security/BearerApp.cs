using System.Net;
using System.Net.WebSockets;
using System.Security.Claims;
using System.Text;
using System.Text.Json;
using ActorRpc.Testing;
using ActorRpc.Tests.Infrastructure;
using Akka.Hosting;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ActorRpc.Tests.Security;

/// <summary>How a test call travels: over a WebSocket (one connection for all its calls) or one HTTP POST per call.</summary>
public enum Transport
{
    WebSocket,
    Post,
}

/// <summary>Where a bearer token rides: the <c>Authorization</c> header, or the <c>access_token</c> query parameter.</summary>
public enum TokenPlacement
{
    Header,
    Query,
}

/// <summary>
/// What a caller got: refused at the HTTP level (<see cref="Status"/> and the <c>WWW-Authenticate</c>
/// <see cref="Challenge"/>, no responses), or admitted (101 or 200) with the responses to its calls, in order.
/// </summary>
public sealed record CallOutcome(HttpStatusCode Status, string? Challenge, IReadOnlyList<JsonElement> Responses)
{
    public bool Admitted => Status is HttpStatusCode.SwitchingProtocols or HttpStatusCode.OK;
}

/// <summary>
/// An application that uses ActorRpc as a library and signs its callers in with bearer tokens:
/// <c>AddAuthentication().AddJwtBearer()</c> bound from <see cref="TestTokens.BearerConfiguration"/>
/// (clock skew zero, so expiry is exact), and these methods:
/// <list type="bullet">
/// <item><c>ping</c>: unguarded, <c>"pong"</c>.</item>
/// <item><c>whoami</c>: <c>[Authorize]</c>, <c>{"name", "roles", "permissions"}</c> from <see cref="RpcContext.User"/>.</item>
/// <item><c>caller</c>: unguarded, <c>{"authenticated", "name"}</c>: who the handler sees, whoever calls.</item>
/// </list>
/// and, outside ActorRpc, <c>GET /me</c> (<c>[Authorize]</c>, the user's name as text). Plain HTTP, or
/// HTTPS only when given a <see cref="TestCertificate"/>.
/// </summary>
public sealed class BearerApp : IAsyncDisposable
{
    public const string RpcPath = "/rpc";

    public const string MePath = "/me";

    private readonly LibraryApp _app;
    private readonly TestCertificate? _tls;

    private BearerApp(LibraryApp app, TestCertificate? tls, HttpClient http)
    {
        _app = app;
        _tls = tls;
        Http = http;
    }

    public WebApplication App => _app.App;

    /// <summary>What the application logged, from Information up.</summary>
    public CapturedLogs Logs => _app.Logs;

    /// <summary>A client of the application's address (trusting its certificate only, over HTTPS).</summary>
    public HttpClient Http { get; }

    /// <summary>
    /// Starts the application. <paramref name="requireAuthorization"/> maps the endpoint with
    /// <c>.RequireAuthorization()</c>; <paramref name="tls"/> serves HTTPS only, with that certificate;
    /// <paramref name="debugLogs"/> gets every log entry from Trace up, the actor system's from Debug up
    /// (the application then brings its own actor system, configured for that);
    /// <paramref name="defaultClockSkew"/> leaves JwtBearer's five minutes of clock skew, as applications have it;
    /// <paramref name="aspNetCoreLogLevel"/>, with <paramref name="debugLogs"/>, is the level the
    /// <c>Microsoft.AspNetCore</c> categories are captured from (Trace when null).
    /// </summary>
    public static async Task<BearerApp> StartAsync(
        bool requireAuthorization = false,
        TestCertificate? tls = null,
        CapturedLogs? debugLogs = null,
        bool defaultClockSkew = false,
        LogLevel? aspNetCoreLogLevel = null)
    {
        var app = await LibraryApp.StartAsync(
            builder =>
            {
                builder.Configuration.AddInMemoryCollection(TestTokens.BearerConfiguration());
                if (debugLogs is not null)
                {
                    // A rule for this provider wins over appsettings.json's Logging:LogLevel, which stops at Information.
                    builder.Logging.AddProvider(debugLogs);
                    builder.Logging.AddFilter<CapturedLogs>(null, LogLevel.Trace);
                    if (aspNetCoreLogLevel is { } aspNetCore)
                    {
                        // The longer category wins among this provider's rules.
                        builder.Logging.AddFilter<CapturedLogs>("Microsoft.AspNetCore", aspNetCore);
                    }

                    builder.Services.AddAkka("actorrpc", akka => akka
                        .ConfigureLoggers(loggers =>
                        {
                            loggers.LogLevel = Akka.Event.LogLevel.DebugLevel;
                            loggers.ClearLoggers();
                            loggers.AddLoggerFactory();
                        })
                        .WithActorRpcCluster(new ClusterNodeOptions())
                        .WithActorRpc());
                }

                builder.Services.AddAuthentication().AddJwtBearer();

                // Tokens expire on the second, not five minutes later, so expiry tests wait seconds.
                if (!defaultClockSkew)
                {
                    builder.Services.PostConfigure<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme, options => options.TokenValidationParameters.ClockSkew = TimeSpan.Zero);
                }

                builder.Services.AddAuthorization();
                builder.Services.AddActorRpc()
                    .AddMethod("ping", () => "pong")
                    .AddMethod("whoami", [Authorize] (RpcContext context) => new
                    {
                        name = NameOf(context.User),
                        roles = context.User.Claims.Where(c => c.Type is ClaimTypes.Role or "role").Select(c => c.Value).ToArray(),
                        permissions = context.User.FindAll("permission").Select(c => c.Value).ToArray(),
                    })
                    .AddMethod("caller", (RpcContext context) => new
                    {
                        authenticated = context.User.Identity?.IsAuthenticated == true,
                        name = NameOf(context.User),
                    });
            },
            web =>
            {
                var endpoint = web.MapActorRpc(RpcPath);
                if (requireAuthorization)
                {
                    endpoint.RequireAuthorization();
                }

                web.MapGet(MePath, [Authorize] (ClaimsPrincipal user) => NameOf(user));
            },
            tls?.HttpsEndpointSettings() ?? []);

        var http = tls is null ? app.Http : tls.Client(app.HttpAddress);
        return new BearerApp(app, tls, http);
    }

    /// <summary>The name a handler should see: <see cref="ClaimsIdentity.Name"/>, else the <c>name</c> claim.</summary>
    public static string? NameOf(ClaimsPrincipal user) => user.Identity?.Name ?? user.FindFirst("name")?.Value;

    /// <summary>The endpoint's <c>ws://</c> or <c>wss://</c> address, with <paramref name="token"/> as <c>access_token</c> when given.</summary>
    public Uri WebSocketUri(string? queryToken = null) => new UriBuilder(RpcUri(queryToken)) { Scheme = _tls is null ? "ws" : "wss" }.Uri;

    /// <summary>The endpoint's <c>http://</c> or <c>https://</c> address, with <paramref name="token"/> as <c>access_token</c> when given.</summary>
    public Uri RpcUri(string? queryToken = null) => WithToken(new Uri(_app.HttpAddress, RpcPath), queryToken);

    /// <summary>A WebSocket, not yet connected, that sends <paramref name="token"/> as a bearer header when it is placed there and collects the refusal's details.</summary>
    public ClientWebSocket NewSocket(string? token, TokenPlacement placement)
    {
        var socket = new ClientWebSocket();
        socket.Options.CollectHttpResponseDetails = true;
        if (_tls is not null)
        {
            socket.Options.RemoteCertificateValidationCallback = _tls.Validate;
        }

        if (token is not null && placement == TokenPlacement.Header)
        {
            socket.Options.SetRequestHeader("Authorization", "Bearer " + token);
        }

        return socket;
    }

    /// <summary>Opens a WebSocket session with <paramref name="token"/> (none when null); fails if the upgrade is refused.</summary>
    public Task<RpcTestSocket> ConnectAsync(string? token = null, TokenPlacement placement = TokenPlacement.Header) =>
        RpcTestSocket.ConnectAsync(NewSocket(token, placement), WebSocketUri(placement == TokenPlacement.Query ? token : null));

    /// <summary>POSTs <paramref name="json"/> to the endpoint with <paramref name="token"/> (none when null).</summary>
    public async Task<HttpResponseMessage> PostAsync(string json, string? token = null, TokenPlacement placement = TokenPlacement.Header)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, RpcUri(placement == TokenPlacement.Query ? token : null))
        {
            Content = new StringContent(json, Encoding.UTF8, "application/json"),
        };
        if (token is not null && placement == TokenPlacement.Header)
        {
            request.Headers.Authorization = new("Bearer", token);
        }

        return await Http.SendAsync(request);
    }

    /// <summary>
    /// Calls each of <paramref name="methods"/> (no params) with <paramref name="token"/>: over one
    /// WebSocket, or one POST each. Stops at the first HTTP refusal and reports it.
    /// </summary>
    public async Task<CallOutcome> CallAsync(Transport transport, TokenPlacement placement, string? token, params string[] methods)
    {
        var responses = new List<JsonElement>();
        if (transport == Transport.WebSocket)
        {
            var client = NewSocket(token, placement);
            RpcTestSocket socket;
            try
            {
                socket = await RpcTestSocket.ConnectAsync(client, WebSocketUri(placement == TokenPlacement.Query ? token : null));
            }
            catch (WebSocketException)
            {
                var refusal = new CallOutcome(client.HttpStatusCode, Challenge(client.HttpResponseHeaders), responses);
                client.Dispose();
                return refusal;
            }

            await using (socket)
            {
                foreach (var method in methods)
                {
                    responses.Add(await socket.CallAsync(method));
                }
            }

            return new CallOutcome(HttpStatusCode.SwitchingProtocols, null, responses);
        }

        var id = 0;
        foreach (var method in methods)
        {
            using var response = await PostAsync(JsonSerializer.Serialize(new { jsonrpc = "2.0", method, id = ++id }), token, placement);
            if (response.StatusCode != HttpStatusCode.OK)
            {
                return new CallOutcome(response.StatusCode, response.Headers.WwwAuthenticate.ToString(), responses);
            }

            using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            responses.Add(body.RootElement.Clone());
        }

        return new CallOutcome(HttpStatusCode.OK, null, responses);
    }

    public ValueTask DisposeAsync()
    {
        if (_tls is not null)
        {
            Http.Dispose();
        }

        return _app.DisposeAsync();
    }

    private static Uri WithToken(Uri uri, string? queryToken) =>
        queryToken is null ? uri : new UriBuilder(uri) { Query = "access_token=" + Uri.EscapeDataString(queryToken) }.Uri;

    private static string? Challenge(IReadOnlyDictionary<string, IEnumerable<string>>? headers) =>
        headers?.Where(h => string.Equals(h.Key, "WWW-Authenticate", StringComparison.OrdinalIgnoreCase)).Select(h => string.Join(", ", h.Value)).FirstOrDefault();
}
