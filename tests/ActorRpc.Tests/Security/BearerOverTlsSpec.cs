using System.Net;
using ActorRpc.Tests.Infrastructure;

namespace ActorRpc.Tests.Security;

/// <summary>
/// Issue 13 over TLS: the same bearer rules on <c>wss://</c> and <c>https://</c> (an HTTPS-only
/// Kestrel endpoint with the test certificate, clients trusting exactly that certificate), where
/// tokens belong in production.
/// </summary>
public sealed class BearerOverTlsSpec
{
    [Fact]
    public async Task Wss_HeaderOrQueryToken_HandlerSeesTheTokensUser()
    {
        using var certificates = new TestCertificates();
        using var certificate = certificates.ServerPem();
        await using var app = await BearerApp.StartAsync(tls: certificate);
        Assert.Equal("wss", app.WebSocketUri().Scheme);

        foreach (var transport in Enum.GetValues<Transport>())
        {
            foreach (var placement in Enum.GetValues<TokenPlacement>())
            {
                var outcome = await app.CallAsync(transport, placement, TestTokens.Mint("alice", permissions: ["orders.read"]), "whoami");
                BearerTokenSpec.AssertAdmitted(outcome, transport);
                JsonAssert.Equivalent(
                    """{"name":"alice","roles":[],"permissions":["orders.read"]}""",
                    JsonAssert.Result(outcome.Responses[0]).GetRawText());
            }
        }
    }

    [Fact]
    public async Task Wss_NoToken_AnonymousServedUnguardedRefusedGuarded()
    {
        using var certificates = new TestCertificates();
        using var certificate = certificates.ServerPem();
        await using var app = await BearerApp.StartAsync(tls: certificate);

        var outcome = await app.CallAsync(Transport.WebSocket, TokenPlacement.Header, null, "ping", "whoami");

        BearerTokenSpec.AssertAdmitted(outcome, Transport.WebSocket);
        Assert.Equal("pong", JsonAssert.Result(outcome.Responses[0]).GetString());
        BearerTokenSpec.AssertAuthenticationRequired(outcome.Responses[1]);
    }

    [Fact]
    public async Task Wss_BadToken_401WithChallenge()
    {
        using var certificates = new TestCertificates();
        using var certificate = certificates.ServerPem();
        await using var app = await BearerApp.StartAsync(tls: certificate);

        foreach (var transport in Enum.GetValues<Transport>())
        {
            foreach (var placement in Enum.GetValues<TokenPlacement>())
            {
                foreach (var defect in new[] { TokenDefect.OtherKey, TokenDefect.Expired })
                {
                    var outcome = await app.CallAsync(transport, placement, BadTokens.Mint(defect), "ping");
                    Assert.True(outcome.Status == HttpStatusCode.Unauthorized, $"{transport} {placement} {defect}: expected 401 but got {(int)outcome.Status}.");
                    BearerTokenSpec.AssertUnauthorized(outcome);
                }
            }
        }
    }

    [Fact]
    public async Task Wss_AuthenticateOverTheSecureSocket_SignsIn()
    {
        using var certificates = new TestCertificates();
        using var certificate = certificates.ServerPem();
        await using var app = await BearerApp.StartAsync(tls: certificate);
        await using var socket = await app.ConnectAsync();

        Assert.Equal("alice", JsonAssert.Result(await socket.CallAsync("authenticate", new { token = TestTokens.Mint("alice") })).GetProperty("name").GetString());
        Assert.Equal("alice", JsonAssert.Result(await socket.CallAsync("whoami")).GetProperty("name").GetString());
    }
}
