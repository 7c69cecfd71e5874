using System.Globalization;
using System.Net;
using System.Text.Json;
using ActorRpc.Tests.Infrastructure;
using Microsoft.IdentityModel.JsonWebTokens;

namespace ActorRpc.Tests.Security;

/// <summary>
/// Issue 13: the built-in <c>authenticate</c> method signs a WebSocket connection in (or in again)
/// with a token the default scheme validates with its own settings. Success replaces the
/// connection's user; a bad token is -32010 and leaves the user as it was; a missing or malformed
/// token parameter is -32602; over HTTP POST there is no connection to sign in, so -32600.
/// </summary>
public sealed class AuthenticateSpec
{
    public static TheoryData<TokenDefect> Defects => new(BadTokens.All);

    [Fact]
    public async Task Authenticate_AnonymousSocket_BecomesTheTokensUser()
    {
        await using var app = await BearerApp.StartAsync();
        await using var socket = await app.ConnectAsync();
        BearerTokenSpec.AssertAuthenticationRequired(await socket.CallAsync("whoami"));
        var token = TestTokens.Mint("alice", permissions: ["orders.read"], roles: ["clerk"]);

        var result = JsonAssert.Result(await socket.CallAsync("authenticate", new { token }));

        Assert.Equal("alice", result.GetProperty("name").GetString());
        AssertExpires(token, result);
        JsonAssert.Equivalent(
            """{"name":"alice","roles":["clerk"],"permissions":["orders.read"]}""",
            JsonAssert.Result(await socket.CallAsync("whoami")).GetRawText());
        JsonAssert.Equivalent("""{"authenticated":true,"name":"alice"}""", JsonAssert.Result(await socket.CallAsync("caller")).GetRawText());
    }

    [Fact]
    public async Task Authenticate_PositionalToken_BecomesTheTokensUser()
    {
        await using var app = await BearerApp.StartAsync();
        await using var socket = await app.ConnectAsync();
        var token = TestTokens.Mint("alice");

        var result = JsonAssert.Result(await socket.CallAsync("authenticate", new[] { token }));

        Assert.Equal("alice", result.GetProperty("name").GetString());
        AssertExpires(token, result);
        Assert.Equal("alice", JsonAssert.Result(await socket.CallAsync("whoami")).GetProperty("name").GetString());
    }

    [Fact]
    public async Task Authenticate_SignedInSocket_ReplacesTheUser()
    {
        await using var app = await BearerApp.StartAsync();
        await using var socket = await app.ConnectAsync(TestTokens.Mint("bob", permissions: ["orders.write"]));
        Assert.Equal("bob", JsonAssert.Result(await socket.CallAsync("whoami")).GetProperty("name").GetString());

        JsonAssert.Result(await socket.CallAsync("authenticate", new { token = TestTokens.Mint("alice") }));

        // Replaced, not merged: none of bob's claims are left.
        JsonAssert.Equivalent("""{"name":"alice","roles":[],"permissions":[]}""", JsonAssert.Result(await socket.CallAsync("whoami")).GetRawText());
    }

    [Theory]
    [MemberData(nameof(Defects))]
    public async Task Authenticate_BadToken_AuthenticationRequiredAndThePreviousUserStays(TokenDefect defect)
    {
        await using var app = await BearerApp.StartAsync();
        await using var socket = await app.ConnectAsync(TestTokens.Mint("bob", permissions: ["orders.write"]));

        BearerTokenSpec.AssertAuthenticationRequired(await socket.CallAsync("authenticate", new { token = BadTokens.Mint(defect) }));

        JsonAssert.Equivalent("""{"name":"bob","roles":[],"permissions":["orders.write"]}""", JsonAssert.Result(await socket.CallAsync("whoami")).GetRawText());
    }

    [Fact]
    public async Task Authenticate_BadTokenOnAnonymousSocket_AuthenticationRequiredAndStillAnonymous()
    {
        await using var app = await BearerApp.StartAsync();
        await using var socket = await app.ConnectAsync();

        BearerTokenSpec.AssertAuthenticationRequired(await socket.CallAsync("authenticate", new { token = BadTokens.Mint(TokenDefect.OtherKey) }));

        BearerTokenSpec.AssertAuthenticationRequired(await socket.CallAsync("whoami"));
        Assert.Equal("pong", JsonAssert.Result(await socket.CallAsync("ping")).GetString());
    }

    [Theory]
    [InlineData(null)]
    [InlineData("{}")]
    [InlineData("""{"jwt":"x"}""")]
    [InlineData("""{"token":42}""")]
    [InlineData("""{"token":null}""")]
    [InlineData("[]")]
    [InlineData("[42]")]
    public async Task Authenticate_MissingOrMalformedTokenParam_InvalidParamsAndUserStays(string? parameters)
    {
        await using var app = await BearerApp.StartAsync();
        await using var socket = await app.ConnectAsync(TestTokens.Mint("bob"));

        var request = parameters is null
            ? """{"jsonrpc":"2.0","method":"authenticate","id":"a"}"""
            : $$"""{"jsonrpc":"2.0","method":"authenticate","params":{{parameters}},"id":"a"}""";
        await socket.SendAsync(request);
        var response = await socket.ReceiveJsonAsync();

        Assert.Equal("a", response.GetProperty("id").GetString());
        JsonAssert.Error(response, -32602);
        Assert.Equal("bob", JsonAssert.Result(await socket.CallAsync("whoami")).GetProperty("name").GetString());
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Authenticate_OverPost_InvalidRequest(bool signedIn)
    {
        await using var app = await BearerApp.StartAsync();
        var request = JsonSerializer.Serialize(new { jsonrpc = "2.0", method = "authenticate", @params = new { token = TestTokens.Mint("alice") }, id = 7 });

        using var response = await app.PostAsync(request, signedIn ? TestTokens.Mint("bob") : null);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(7, body.RootElement.GetProperty("id").GetInt32());
        var error = JsonAssert.Error(body.RootElement, -32600);
        Assert.Contains("WebSocket", error.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    /// <summary><c>expires</c> is the token's <c>exp</c>, as ISO 8601 UTC written with a <c>Z</c> (never an offset, even +00:00).</summary>
    internal static void AssertExpires(string token, JsonElement result)
    {
        var text = result.GetProperty("expires").GetString();
        Assert.NotNull(text);
        var expires = DateTimeOffset.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind);
        Assert.Equal(TimeSpan.Zero, expires.Offset);
        Assert.True(text.EndsWith('Z'), $"Expected ISO 8601 UTC ending in Z but got {text}.");
        Assert.Equal(new JsonWebToken(token).ValidTo, expires.UtcDateTime);
    }
}
