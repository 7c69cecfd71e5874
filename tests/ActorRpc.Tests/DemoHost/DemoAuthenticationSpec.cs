using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using ActorRpc.DemoHost;
using ActorRpc.Tests.Infrastructure;

namespace ActorRpc.Tests.DemoHost;

/// <summary>
/// Issue 13: the demo node with an <c>Authentication:Schemes:Bearer</c> section turns JWT bearer
/// authentication on, and its guards with it: <c>publish</c> needs the permission <c>publish</c>,
/// the topic <c>admin</c> the permission <c>admin</c>, <c>whoami</c> a user.
/// </summary>
public sealed class DemoAuthenticationSpec(DemoAuthenticationSpec.SecuredDemoNode node) : IClassFixture<DemoAuthenticationSpec.SecuredDemoNode>
{
    private static readonly object NewsParams = new { topic = DemoMethods.NewsTopic, data = new { headline = "hi" } };

    [Fact]
    public async Task Publish_Anonymous_AuthenticationRequired()
    {
        await using var socket = await node.Server.ConnectAsync();
        JsonAssert.Error(await socket.CallAsync("publish", NewsParams), (int)JsonRpcErrorCode.AuthenticationRequired);
    }

    [Fact]
    public async Task Publish_TokenWithoutPublishPermission_NotPermitted()
    {
        await using var socket = await ConnectAsync(TestTokens.Mint("bob", permissions: [DemoPolicies.AdminPermission]));
        JsonAssert.Error(await socket.CallAsync("publish", NewsParams), (int)JsonRpcErrorCode.NotPermitted);
    }

    [Fact]
    public async Task Publish_TokenWithPublishPermission_Published()
    {
        await using var socket = await ConnectAsync(TestTokens.Mint("alice", permissions: [DemoPolicies.PublishPermission]));
        Assert.True(JsonAssert.Result(await socket.CallAsync("publish", NewsParams)).GetBoolean());
    }

    [Fact]
    public async Task PublishToAdmin_OnlyWithAdminPermissionToo()
    {
        var adminParams = new { topic = DemoMethods.AdminTopic, data = new { alert = "spoofed" } };
        await using var writer = await ConnectAsync(TestTokens.Mint("alice", permissions: [DemoPolicies.PublishPermission]));
        JsonAssert.Error(await writer.CallAsync("publish", adminParams), (int)JsonRpcErrorCode.NotPermitted);

        await using var admin = await ConnectAsync(TestTokens.Mint("root", permissions: [DemoPolicies.PublishPermission, DemoPolicies.AdminPermission]));
        Assert.True(JsonAssert.Result(await admin.CallAsync("publish", adminParams)).GetBoolean());
    }

    [Fact]
    public async Task WhoAmI_Token_NameAndSortedPermissions()
    {
        await using var socket = await ConnectAsync(TestTokens.Mint("alice", permissions: ["publish", "admin", "audit"]));
        JsonAssert.Equivalent(
            """{"name":"alice","permissions":["admin","audit","publish"]}""",
            JsonAssert.Result(await socket.CallAsync("whoami")).GetRawText());
    }

    [Fact]
    public async Task WhoAmI_Anonymous_AuthenticationRequired()
    {
        await using var socket = await node.Server.ConnectAsync();
        JsonAssert.Error(await socket.CallAsync("whoami"), (int)JsonRpcErrorCode.AuthenticationRequired);
    }

    [Fact]
    public async Task WhoAmI_PostWithAuthorizationHeader_AnswersTheTokensUser()
    {
        // The README's curl walkthrough.
        using var response = await node.Server.Http.SendAsync(Post("whoami", TestTokens.Mint("carol")));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var answer = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        JsonAssert.Equivalent("""{"name":"carol","permissions":[]}""", JsonAssert.Result(answer.RootElement).GetRawText());
    }

    [Fact]
    public async Task WhoAmI_WebSocketWithAccessTokenQuery_AnswersTheTokensUser()
    {
        // The browser's way (and the README's websocat alternative): no header on a WebSocket.
        var uri = new UriBuilder(node.Server.WebSocketUri) { Query = $"access_token={TestTokens.Mint("erin", permissions: ["publish"])}" }.Uri;
        await using var socket = await RpcTestSocket.ConnectAsync(uri);
        JsonAssert.Equivalent("""{"name":"erin","permissions":["publish"]}""", JsonAssert.Result(await socket.CallAsync("whoami")).GetRawText());
    }

    [Fact]
    public async Task Post_TokenSignedWithAnotherKey_401()
    {
        using var response = await node.Server.Http.SendAsync(Post("ping", TestTokens.Mint("mallory", key: new byte[32])));
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task SubscribeAdmin_OnlyWithAdminPermission()
    {
        await using (var anonymous = await node.Server.ConnectAsync())
        {
            JsonAssert.Error(await anonymous.CallAsync("subscribe", new[] { DemoMethods.AdminTopic }), (int)JsonRpcErrorCode.AuthenticationRequired);
        }

        await using (var publisher = await ConnectAsync(TestTokens.Mint("bob", permissions: [DemoPolicies.PublishPermission])))
        {
            JsonAssert.Error(await publisher.CallAsync("subscribe", new[] { DemoMethods.AdminTopic }), (int)JsonRpcErrorCode.NotPermitted);
        }

        await using var admin = await ConnectAsync(TestTokens.Mint("alice", permissions: [DemoPolicies.AdminPermission]));
        JsonAssert.Equivalent("""["admin"]""", JsonAssert.Result(await admin.CallAsync("subscribe", new[] { DemoMethods.AdminTopic })).GetRawText());
    }

    [Fact]
    public async Task TokenCommand_NodeConfiguration_PrintsATokenTheNodeAccepts()
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        string[] args = ["--name", "dave", "--permission", "publish", "--permission=admin", "--lifetime", "00:10:00", .. SecuredDemoNode.Settings];

        Assert.Equal(0, DemoTokenCommand.Run(args, output, error));
        Assert.Equal("", error.ToString());

        await using var socket = await ConnectAsync(output.ToString().Trim());
        JsonAssert.Equivalent(
            """{"name":"dave","permissions":["admin","publish"]}""",
            JsonAssert.Result(await socket.CallAsync("whoami")).GetRawText());
        Assert.True(JsonAssert.Result(await socket.CallAsync("publish", NewsParams)).GetBoolean());
    }

    private Task<RpcTestSocket> ConnectAsync(string token) =>
        RpcTestSocket.ConnectAsync(node.Server.WebSocketUri, options => options.SetRequestHeader("Authorization", $"Bearer {token}"));

    private static HttpRequestMessage Post(string method, string token) => new(HttpMethod.Post, "/rpc")
    {
        Content = new StringContent($$"""{"jsonrpc":"2.0","method":"{{method}}","id":1}""", Encoding.UTF8, "application/json"),
        Headers = { Authorization = new AuthenticationHeaderValue("Bearer", token) },
    };

    /// <summary>The demo node with <see cref="TestTokens.BearerConfiguration"/> on its command line, shared by the class.</summary>
    public sealed class SecuredDemoNode : IAsyncLifetime
    {
        public static readonly string[] Settings = [.. TestTokens.BearerConfiguration().Select(setting => $"--{setting.Key}={setting.Value}")];

        private RpcServer? _server;

        public RpcServer Server => _server ?? throw new InvalidOperationException("The server is not started.");

        public async Task InitializeAsync() => _server = await RpcServer.StartAsync(null, Settings);

        public async Task DisposeAsync()
        {
            if (_server is not null)
            {
                await _server.DisposeAsync();
            }
        }
    }
}
