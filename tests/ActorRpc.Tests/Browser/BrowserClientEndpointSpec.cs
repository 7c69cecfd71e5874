using System.Net;
using System.Net.Http.Headers;
using ActorRpc.Testing;
using ActorRpc.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;

namespace ActorRpc.Tests.Browser;

/// <summary>
/// Issue 15: <c>MapActorRpcBrowserClient</c> serves clients/js/actorrpc.js, byte for byte, from the
/// Gateway assembly, as a JavaScript module browsers revalidate with its ETag.
/// </summary>
public sealed class BrowserClientEndpointSpec(BrowserClientEndpointSpec.Server server) : IClassFixture<BrowserClientEndpointSpec.Server>
{
    private static readonly byte[] Script = File.ReadAllBytes(Path.Combine(ExternalProcess.RepositoryRoot(), "clients", "js", "actorrpc.js"));

    [Fact]
    public async Task Get_TheRepositorysScript_AsUtf8JavaScriptWithStrongETagNoCacheNoSniff()
    {
        using var response = await server.Http.GetAsync("/actorrpc.js");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(Script, await response.Content.ReadAsByteArrayAsync());
        Assert.Equal("text/javascript; charset=utf-8", response.Content.Headers.ContentType?.ToString());
        Assert.Equal(Script.Length, response.Content.Headers.ContentLength);
        Assert.True(response.Headers.CacheControl?.NoCache);
        Assert.Equal("nosniff", Assert.Single(response.Headers.GetValues("X-Content-Type-Options")));
        var etag = response.Headers.ETag;
        Assert.NotNull(etag);
        Assert.False(etag.IsWeak);
    }

    [Fact]
    public async Task Get_TwoServers_SameETag()
    {
        // The tag is the bytes' hash, so every node of a cluster (and a restarted one) gives the same.
        await using var other = await Server.StartAsync();
        using var otherHttp = other.CreateHttpClient();
        Assert.Equal(await ETagAsync(server.Http), await ETagAsync(otherHttp));
    }

    [Theory]
    [InlineData("{0}")]
    [InlineData("\"other\", {0}")]
    [InlineData("W/{0}")]
    [InlineData("*")]
    public async Task Get_IfNoneMatchNamesIt_304WithoutBody(string ifNoneMatch)
    {
        var etag = await ETagAsync(server.Http);
        using var request = new HttpRequestMessage(HttpMethod.Get, "/actorrpc.js");
        request.Headers.TryAddWithoutValidation("If-None-Match", string.Format(System.Globalization.CultureInfo.InvariantCulture, ifNoneMatch, etag));
        using var response = await server.Http.SendAsync(request);
        Assert.Equal(HttpStatusCode.NotModified, response.StatusCode);
        Assert.Empty(await response.Content.ReadAsByteArrayAsync());
        Assert.Equal(etag, response.Headers.ETag?.ToString());
        Assert.True(response.Headers.CacheControl?.NoCache);
    }

    [Fact]
    public async Task Get_IfNoneMatchAnotherVersion_200WithTheScript()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/actorrpc.js");
        request.Headers.IfNoneMatch.Add(new EntityTagHeaderValue("\"an-older-version\""));
        using var response = await server.Http.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(Script, await response.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task Head_TheHeadersWithoutTheBody()
    {
        using var response = await server.Http.SendAsync(new HttpRequestMessage(HttpMethod.Head, "/actorrpc.js"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/javascript; charset=utf-8", response.Content.Headers.ContentType?.ToString());
        Assert.Equal(Script.Length, response.Content.Headers.ContentLength);
        Assert.Equal(await ETagAsync(server.Http), response.Headers.ETag?.ToString());
        Assert.Empty(await response.Content.ReadAsByteArrayAsync());
    }

    [Theory]
    [InlineData("POST")]
    [InlineData("PUT")]
    [InlineData("DELETE")]
    public async Task OtherMethods_405(string method)
    {
        using var response = await server.Http.SendAsync(new HttpRequestMessage(new HttpMethod(method), "/actorrpc.js"));
        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
    }

    [Fact]
    public async Task Get_AnotherPattern_ServedThere()
    {
        using var response = await server.Http.GetAsync("/static/rpc-client.js");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(Script, await response.Content.ReadAsByteArrayAsync());
    }

    private static async Task<string> ETagAsync(HttpClient http)
    {
        using var response = await http.GetAsync("/actorrpc.js");
        return response.Headers.ETag?.ToString() ?? throw new InvalidOperationException("No ETag.");
    }

    /// <summary>A test server mapping the script at the default path and at /static/rpc-client.js.</summary>
    public sealed class Server : IAsyncLifetime
    {
        private ActorRpcTestServer? _server;

        public HttpClient Http { get; private set; } = null!;

        public static Task<ActorRpcTestServer> StartAsync() => ActorRpcTestServer.StartAsync(_ => { }, options => options.ConfigureApp = app =>
        {
            app.MapActorRpcBrowserClient();
            app.MapActorRpcBrowserClient("/static/rpc-client.js");
        });

        public async Task InitializeAsync()
        {
            _server = await StartAsync();
            Http = _server.CreateHttpClient();
        }

        public async Task DisposeAsync()
        {
            Http?.Dispose();
            if (_server is not null)
            {
                await _server.DisposeAsync();
            }
        }
    }
}
