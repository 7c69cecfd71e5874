using System.Net;
using ActorRpc.Tests.Infrastructure;

namespace ActorRpc.Tests.Security;

/// <summary>
/// Issue 13 with JwtBearer as applications leave it: five minutes of clock skew, so a token that
/// expired a minute ago still validates. Whatever the server makes of such a token, it must not
/// say yes and then treat the caller as nobody: at the upgrade or POST it is either refused (401)
/// or its user is the one the handler sees; <c>authenticate</c> either refuses it (-32010, the user
/// stays) or its user is the one the next call runs as.
/// </summary>
public sealed class ClockSkewSpec
{
    public static TheoryData<Transport, TokenPlacement> Placements => BearerTokenSpec.Placements;

    [Theory]
    [MemberData(nameof(Placements))]
    public async Task TokenExpiredWithinClockSkew_UpgradeOrPost_RefusedOrItsUserServed(Transport transport, TokenPlacement placement)
    {
        await using var app = await BearerApp.StartAsync(defaultClockSkew: true);
        var token = TestTokens.Mint("alice", lifetime: TimeSpan.FromMinutes(-1));

        var outcome = await app.CallAsync(transport, placement, token, "whoami");

        if (outcome.Status != HttpStatusCode.Unauthorized)
        {
            BearerTokenSpec.AssertAdmitted(outcome, transport);
            Assert.True(
                outcome.Responses[0].TryGetProperty("result", out var result) && result.GetProperty("name").GetString() == "alice",
                $"The {transport} was admitted with the token, yet its call did not run as the token's user: {outcome.Responses[0]}");
        }
    }

    [Fact]
    public async Task Authenticate_TokenExpiredWithinClockSkew_RefusedOrItsUserServed()
    {
        await using var app = await BearerApp.StartAsync(defaultClockSkew: true);
        await using var socket = await app.ConnectAsync(TestTokens.Mint("bob"));

        var response = await socket.CallAsync("authenticate", new { token = TestTokens.Mint("alice", lifetime: TimeSpan.FromMinutes(-1)) });
        var whoami = await socket.CallAsync("whoami");

        if (response.TryGetProperty("error", out _))
        {
            BearerTokenSpec.AssertAuthenticationRequired(response);
            Assert.Equal("bob", JsonAssert.Result(whoami).GetProperty("name").GetString());
        }
        else
        {
            Assert.True(
                whoami.TryGetProperty("result", out var result) && result.GetProperty("name").GetString() == "alice",
                $"authenticate answered {response} and replaced bob, yet the next call did not run as alice: {whoami}");
        }
    }
}
