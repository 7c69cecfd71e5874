using System.Net;
using ActorRpc.Tests.Infrastructure;

namespace ActorRpc.Tests.Security;

/// <summary>
/// Issue 13 with JwtBearer as applications leave it: five minutes of clock skew, so a token that
/// expired a minute ago still validates to the scheme. Its user would be anonymous from the first
/// call (the connection's user ends at the token's <c>exp</c>), so the server refuses it as expired
/// rather than admit a caller who is at once nobody: 401 at the upgrade or POST, and -32010 from
/// <c>authenticate</c>, with the connection's previous user kept.
/// </summary>
public sealed class ClockSkewSpec
{
    public static TheoryData<Transport, TokenPlacement> Placements => BearerTokenSpec.Placements;

    [Theory]
    [MemberData(nameof(Placements))]
    public async Task TokenExpiredWithinClockSkew_UpgradeOrPost_Unauthorized(Transport transport, TokenPlacement placement)
    {
        await using var app = await BearerApp.StartAsync(defaultClockSkew: true);
        var token = TestTokens.Mint("alice", lifetime: TimeSpan.FromMinutes(-1));

        var outcome = await app.CallAsync(transport, placement, token, "whoami");

        // The scheme found no fault in the token, so its challenge names none: a plain "Bearer".
        Assert.True(outcome.Status == HttpStatusCode.Unauthorized, $"Expected 401 but the server answered {(int)outcome.Status} {outcome.Status}.");
        Assert.Empty(outcome.Responses);
        Assert.NotNull(outcome.Challenge);
        Assert.StartsWith("Bearer", outcome.Challenge, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Authenticate_TokenExpiredWithinClockSkew_AuthenticationRequiredAndThePreviousUserStays()
    {
        await using var app = await BearerApp.StartAsync(defaultClockSkew: true);
        await using var socket = await app.ConnectAsync(TestTokens.Mint("bob"));

        BearerTokenSpec.AssertAuthenticationRequired(
            await socket.CallAsync("authenticate", new { token = TestTokens.Mint("alice", lifetime: TimeSpan.FromMinutes(-1)) }));

        Assert.Equal("bob", JsonAssert.Result(await socket.CallAsync("whoami")).GetProperty("name").GetString());
    }
}
