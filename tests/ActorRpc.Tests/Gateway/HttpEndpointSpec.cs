using System.Net;
using System.Text;
using ActorRpc.Tests.Infrastructure;

namespace ActorRpc.Tests.Gateway;

/// <summary>What is specific to HTTP: status codes, body limits, health and CORS.</summary>
public sealed class HttpEndpointSpec(RpcServerFixture fixture) : IClassFixture<RpcServerFixture>
{
    private RpcServer Server => fixture.Server;

    [Fact]
    public async Task Healthz_NodeStarted_Ok()
    {
        using var response = await Server.Http.GetAsync(new Uri("/healthz", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Healthy", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Post_OnlyNotifications_NoContent()
    {
        using var response = await PostAsync("""[{"jsonrpc":"2.0","method":"ping"},{"jsonrpc":"2.0","method":"nope"}]""");
        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Empty(await response.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task Post_BodyOverMaxMessageSize_PayloadTooLarge()
    {
        var body = $$"""{"jsonrpc":"2.0","method":"echo","params":["{{new string('x', 1024 * 1024)}}"],"id":1}""";
        using var response = await PostAsync(body);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
    }

    [Fact]
    public async Task Post_ChunkedBodyOverMaxMessageSize_PayloadTooLarge()
    {
        // No Content-Length: the limit must hold while reading, not only from the header.
        var bytes = Encoding.UTF8.GetBytes($$"""{"jsonrpc":"2.0","method":"echo","params":["{{new string('x', 1024 * 1024)}}"],"id":1}""");
        using var content = new StreamContent(new NonSeekableStream(bytes));
        content.Headers.ContentType = new("application/json");
        using var response = await Server.Http.PostAsync(Server.RpcUri, content);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
    }

    [Fact]
    public async Task Get_WithoutUpgrade_BadRequest()
    {
        using var response = await Server.Http.GetAsync(Server.RpcUri);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task Preflight_FromAnotherOrigin_AllowsPost()
    {
        using var request = new HttpRequestMessage(HttpMethod.Options, Server.RpcUri);
        request.Headers.Add("Origin", "http://127.0.0.1:8081");
        request.Headers.Add("Access-Control-Request-Method", "POST");
        request.Headers.Add("Access-Control-Request-Headers", "content-type");
        using var response = await Server.Http.SendAsync(request);

        Assert.True(response.IsSuccessStatusCode, $"Preflight answered {response.StatusCode}");
        Assert.Equal("*", response.Headers.GetValues("Access-Control-Allow-Origin").Single());
    }

    [Fact]
    public async Task Post_FromAnotherOrigin_CarriesCorsHeader()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, Server.RpcUri)
        {
            Content = new StringContent("""{"jsonrpc":"2.0","method":"ping","id":1}""", Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("Origin", "http://127.0.0.1:8081");
        using var response = await Server.Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("*", response.Headers.GetValues("Access-Control-Allow-Origin").Single());
    }

    [Fact]
    public async Task Post_ConcurrentRequests_EachGetsItsOwnAnswer()
    {
        var responses = await Task.WhenAll(Enumerable.Range(0, 50).Select(async i =>
        {
            using var response = await PostAsync($$"""{"jsonrpc":"2.0","method":"add","params":[{{i}},1],"id":{{i}}}""");
            return (i, body: await response.Content.ReadAsStringAsync());
        }));

        foreach (var (i, body) in responses)
        {
            JsonAssert.Equivalent($$"""{"jsonrpc":"2.0","id":{{i}},"result":{{i + 1}}}""", body);
        }
    }

    private async Task<HttpResponseMessage> PostAsync(string body)
    {
        using var content = new StringContent(body, Encoding.UTF8, "application/json");
        return await Server.Http.PostAsync(Server.RpcUri, content);
    }

    private sealed class NonSeekableStream(byte[] bytes) : MemoryStream(bytes)
    {
        public override bool CanSeek => false;
    }
}
