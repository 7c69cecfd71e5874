using System.Security.Claims;
using System.Text;
using System.Text.Json;
using ActorRpc.Actors.Protocol;
using ActorRpc.Actors.Sessions;

namespace ActorRpc.Tests.Sessions;

/// <summary>The result of <c>authenticate</c>: the user's name, and when its token expires in ISO 8601 UTC.</summary>
public sealed class AuthenticateAnswerSpec
{
    [Fact]
    public void Of_ExpiryInAnotherOffset_WrittenAsUtcWithZ()
    {
        var user = new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.Name, "ada")], "test"));
        var identity = new SessionIdentity(user, new DateTimeOffset(2026, 12, 3, 16, 0, 0, TimeSpan.FromHours(1)));

        var result = Result(identity);

        Assert.Equal("ada", result.GetProperty("name").GetString());
        Assert.Equal("2026-12-03T15:00:00Z", result.GetProperty("expires").GetString());
    }

    [Fact]
    public void Of_NoExpiry_ExpiresNull()
    {
        var user = new ClaimsPrincipal(new ClaimsIdentity([new Claim("sub", "u-1")], "test"));

        var result = Result(new SessionIdentity(user, null));

        Assert.Equal("u-1", result.GetProperty("name").GetString());
        Assert.Equal(JsonValueKind.Null, result.GetProperty("expires").ValueKind);
    }

    private static JsonElement Result(SessionIdentity identity)
    {
        var frame = JsonRpcResponseWriter.Result(Encoding.UTF8.GetBytes("1"), AuthenticateAnswer.Of(identity), RpcMethodsOptions.CreateDefaultSerializerOptions());
        using var document = JsonDocument.Parse(frame);
        return document.RootElement.GetProperty("result").Clone();
    }
}
