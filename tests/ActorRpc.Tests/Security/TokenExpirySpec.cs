using ActorRpc.Tests.Infrastructure;
using Microsoft.IdentityModel.JsonWebTokens;

namespace ActorRpc.Tests.Security;

/// <summary>
/// Issue 13: a WebSocket outlives its token, so the connection's user ends when the token does
/// (the ticket's expiry, the token's <c>exp</c>): from then on the handler sees an anonymous user,
/// guarded methods answer -32010 and unguarded ones still work, on the same open socket, until an
/// <c>authenticate</c> with a fresh token signs it in again.
/// </summary>
public sealed class TokenExpirySpec
{
    // A JWT's exp is whole seconds (the minting truncates it), so a token minted for 6 s lives 5 to
    // 6 s: room for connect, a call and an authenticate on a loaded two-core machine before it runs
    // out, short enough to wait out in a test. Each test mints its token right before it uses it and
    // then polls for the expiry (Eventually), never sleeping a guessed time.
    private static readonly TimeSpan Lifetime = TimeSpan.FromSeconds(6);

    // Timers may fire a little early; a user kept a few milliseconds short of exp is not a defect.
    private static readonly TimeSpan Tolerance = TimeSpan.FromMilliseconds(250);

    [Theory]
    [InlineData(TokenPlacement.Header)]
    [InlineData(TokenPlacement.Query)]
    public async Task ConnectionToken_Expires_GuardedRefusedUnguardedServedUntilAuthenticate(TokenPlacement placement)
    {
        await using var app = await BearerApp.StartAsync();
        var token = TestTokens.Mint("alice", lifetime: Lifetime);
        await using var socket = await app.ConnectAsync(token, placement);
        Assert.Equal("alice", JsonAssert.Result(await socket.CallAsync("whoami")).GetProperty("name").GetString());

        await AssertExpiresAsync(socket, token);

        var fresh = TestTokens.Mint("alice", permissions: ["orders.read"]);
        Assert.Equal("alice", JsonAssert.Result(await socket.CallAsync("authenticate", new { token = fresh })).GetProperty("name").GetString());
        JsonAssert.Equivalent("""{"name":"alice","roles":[],"permissions":["orders.read"]}""", JsonAssert.Result(await socket.CallAsync("whoami")).GetRawText());
        JsonAssert.Equivalent("""{"authenticated":true,"name":"alice"}""", JsonAssert.Result(await socket.CallAsync("caller")).GetRawText());
    }

    [Fact]
    public async Task AuthenticatedToken_Expires_GuardedRefusedUnguardedServed()
    {
        await using var app = await BearerApp.StartAsync();
        await using var socket = await app.ConnectAsync();
        var token = TestTokens.Mint("alice", lifetime: Lifetime);
        var result = JsonAssert.Result(await socket.CallAsync("authenticate", new { token }));
        AuthenticateSpec.AssertExpires(token, result);
        Assert.Equal("alice", JsonAssert.Result(await socket.CallAsync("whoami")).GetProperty("name").GetString());

        await AssertExpiresAsync(socket, token);
    }

    [Fact]
    public async Task AuthenticateAfterConnectionToken_ConnectionTokensExpiryNoLongerApplies()
    {
        // The connection's first token is short; the one authenticate brings lasts an hour. The user
        // must not end at the first token's exp.
        await using var app = await BearerApp.StartAsync();
        var shortToken = TestTokens.Mint("alice", lifetime: Lifetime);
        await using var socket = await app.ConnectAsync(shortToken);
        JsonAssert.Result(await socket.CallAsync("authenticate", new { token = TestTokens.Mint("bob") }));

        // A second socket on the short token shows when it has run out, without waiting on a clock.
        await using var witness = await app.ConnectAsync(shortToken);
        await AssertExpiresAsync(witness, shortToken);

        Assert.Equal("bob", JsonAssert.Result(await socket.CallAsync("whoami")).GetProperty("name").GetString());
    }

    /// <summary>
    /// Polls until <c>whoami</c> answers -32010 (it must, once <paramref name="token"/> has expired,
    /// and not before), then checks the handler sees an anonymous user and unguarded calls still work.
    /// </summary>
    private static async Task AssertExpiresAsync(RpcTestSocket socket, string token)
    {
        var expires = new JsonWebToken(token).ValidTo;
        await Eventually.AssertAsync(async () => BearerTokenSpec.AssertAuthenticationRequired(await socket.CallAsync("whoami")));
        Assert.True(DateTime.UtcNow >= expires - Tolerance, $"The user ended at {DateTime.UtcNow:O}, before the token's exp {expires:O}.");

        Assert.Equal("pong", JsonAssert.Result(await socket.CallAsync("ping")).GetString());
        JsonAssert.Equivalent("""{"authenticated":false,"name":null}""", JsonAssert.Result(await socket.CallAsync("caller")).GetRawText());
    }
}
