using System.Net;
using System.Text.Json;
using ActorRpc.Tests.Infrastructure;

namespace ActorRpc.Tests.Security;

/// <summary>
/// Issue 13: who the caller is, decided once at the WebSocket upgrade or the POST, on both
/// transports and with the bearer token in either place (<c>Authorization</c> header or
/// <c>access_token</c> query). No token: anonymous, unguarded methods served and guarded ones
/// -32010. A good token: the handler sees its user. A token that was presented and is bad: 401 with
/// the scheme's challenge, and no session.
/// </summary>
public sealed class BearerTokenSpec
{
    public static TheoryData<Transport> Transports => new(Enum.GetValues<Transport>());

    public static TheoryData<Transport, TokenPlacement> Placements
    {
        get
        {
            var data = new TheoryData<Transport, TokenPlacement>();
            foreach (var transport in Enum.GetValues<Transport>())
            {
                foreach (var placement in Enum.GetValues<TokenPlacement>())
                {
                    data.Add(transport, placement);
                }
            }

            return data;
        }
    }

    public static TheoryData<Transport, TokenPlacement, TokenDefect> Defects
    {
        get
        {
            var data = new TheoryData<Transport, TokenPlacement, TokenDefect>();
            foreach (var (transport, placement) in Placements.Select(row => ((Transport)row[0], (TokenPlacement)row[1])))
            {
                foreach (var defect in BadTokens.All)
                {
                    data.Add(transport, placement, defect);
                }
            }

            return data;
        }
    }

    [Theory]
    [MemberData(nameof(Transports))]
    public async Task NoToken_AnyTransport_AnonymousServedUnguardedRefusedGuarded(Transport transport)
    {
        await using var app = await BearerApp.StartAsync();

        var outcome = await app.CallAsync(transport, TokenPlacement.Header, null, "ping", "whoami", "caller");

        AssertAdmitted(outcome, transport);
        Assert.Equal("pong", JsonAssert.Result(outcome.Responses[0]).GetString());
        AssertAuthenticationRequired(outcome.Responses[1]);
        JsonAssert.Equivalent("""{"authenticated":false,"name":null}""", JsonAssert.Result(outcome.Responses[2]).GetRawText());
    }

    [Theory]
    [MemberData(nameof(Placements))]
    public async Task ValidToken_AnyTransportAndPlacement_HandlerSeesTheTokensUser(Transport transport, TokenPlacement placement)
    {
        await using var app = await BearerApp.StartAsync();
        var token = TestTokens.Mint("alice", permissions: ["orders.read", "orders.write"], roles: ["clerk"]);

        var outcome = await app.CallAsync(transport, placement, token, "whoami", "caller", "ping");

        AssertAdmitted(outcome, transport);
        JsonAssert.Equivalent(
            """{"name":"alice","roles":["clerk"],"permissions":["orders.read","orders.write"]}""",
            JsonAssert.Result(outcome.Responses[0]).GetRawText());
        JsonAssert.Equivalent("""{"authenticated":true,"name":"alice"}""", JsonAssert.Result(outcome.Responses[1]).GetRawText());
        Assert.Equal("pong", JsonAssert.Result(outcome.Responses[2]).GetString());
    }

    [Theory]
    [MemberData(nameof(Defects))]
    public async Task BadToken_AnyTransportAndPlacement_401WithChallengeAndNoSession(Transport transport, TokenPlacement placement, TokenDefect defect)
    {
        await using var app = await BearerApp.StartAsync();
        using var sessions = new SessionStarts(app.App.Services);

        var outcome = await app.CallAsync(transport, placement, BadTokens.Mint(defect), "ping");

        AssertUnauthorized(outcome);

        // The refusal was answered, so a session it would have started has started by now.
        Assert.Equal(0, sessions.Count);
    }

    [Theory]
    [MemberData(nameof(Transports))]
    public async Task RequireAuthorization_NoToken_401(Transport transport)
    {
        await using var app = await BearerApp.StartAsync(requireAuthorization: true);

        var outcome = await app.CallAsync(transport, TokenPlacement.Header, null, "ping");

        Assert.Equal(HttpStatusCode.Unauthorized, outcome.Status);
        Assert.StartsWith("Bearer", outcome.Challenge, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Placements))]
    public async Task RequireAuthorization_ValidToken_HandlerSeesTheTokensUser(Transport transport, TokenPlacement placement)
    {
        await using var app = await BearerApp.StartAsync(requireAuthorization: true);

        var outcome = await app.CallAsync(transport, placement, TestTokens.Mint("alice"), "whoami");

        AssertAdmitted(outcome, transport);
        Assert.Equal("alice", JsonAssert.Result(outcome.Responses[0]).GetProperty("name").GetString());
    }

    [Theory]
    [MemberData(nameof(Placements))]
    public async Task RequireAuthorization_ExpiredToken_401WithChallenge(Transport transport, TokenPlacement placement)
    {
        await using var app = await BearerApp.StartAsync(requireAuthorization: true);

        AssertUnauthorized(await app.CallAsync(transport, placement, BadTokens.Mint(TokenDefect.Expired), "ping"));
    }

    internal static void AssertAdmitted(CallOutcome outcome, Transport transport)
    {
        var expected = transport == Transport.WebSocket ? HttpStatusCode.SwitchingProtocols : HttpStatusCode.OK;
        Assert.True(outcome.Status == expected, $"Expected {expected} but the server answered {(int)outcome.Status} {outcome.Status} ({outcome.Challenge}).");
    }

    /// <summary>401, with JwtBearer's challenge saying the token was the problem (it was presented, and is bad).</summary>
    internal static void AssertUnauthorized(CallOutcome outcome)
    {
        Assert.True(outcome.Status == HttpStatusCode.Unauthorized, $"Expected 401 but the server answered {(int)outcome.Status} {outcome.Status}.");
        Assert.Empty(outcome.Responses);
        Assert.NotNull(outcome.Challenge);
        Assert.StartsWith("Bearer", outcome.Challenge, StringComparison.Ordinal);
        Assert.Contains("error=\"invalid_token\"", outcome.Challenge, StringComparison.Ordinal);
    }

    /// <summary>-32010 "Authentication required", without <c>data</c>.</summary>
    internal static void AssertAuthenticationRequired(JsonElement response)
    {
        var error = JsonAssert.Error(response, -32010);
        Assert.Equal("Authentication required", error.GetProperty("message").GetString());
        Assert.False(error.TryGetProperty("data", out _), $"-32010 carries no data: {error}");
    }
}
