using System.Security.Cryptography;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace ActorRpc.Tests.Infrastructure;

/// <summary>
/// JWTs for tests: HS256 with a key made once per test run, and the <c>Authentication:Schemes:Bearer</c>
/// configuration under which ASP.NET Core's JwtBearer accepts them.
/// </summary>
public static class TestTokens
{
    public const string Issuer = "actorrpc-tests";

    public const string Audience = "actorrpc";

    /// <summary>The signing key (32 random bytes, the least HS256 accepts).</summary>
    public static readonly byte[] Key = RandomNumberGenerator.GetBytes(32);

    /// <summary>
    /// A token for <paramref name="name"/> (claims <c>unique_name</c> and <c>name</c>), with one
    /// <c>permission</c> claim per permission and one <c>role</c> claim per role, living
    /// <paramref name="lifetime"/> (1 h by default). A negative lifetime gives a token that already
    /// expired that long ago (mind JwtBearer's 5 minute clock skew).
    /// </summary>
    public static string Mint(
        string name,
        IEnumerable<string>? permissions = null,
        IEnumerable<string>? roles = null,
        TimeSpan? lifetime = null,
        byte[]? key = null,
        string? audience = null,
        string? issuer = null)
    {
        var now = DateTime.UtcNow;
        var expires = now + (lifetime ?? TimeSpan.FromHours(1));

        // A token must expire after it becomes valid: an expired one was issued an hour before its end.
        var issued = expires > now ? now : expires - TimeSpan.FromHours(1);
        var claims = new Dictionary<string, object>
        {
            [JwtRegisteredClaimNames.UniqueName] = name,
            [JwtRegisteredClaimNames.Name] = name,
        };
        AddAll(claims, "permission", permissions);
        AddAll(claims, "role", roles);
        var descriptor = new SecurityTokenDescriptor
        {
            Issuer = issuer ?? Issuer,
            Audience = audience ?? Audience,
            Claims = claims,
            IssuedAt = issued,
            NotBefore = issued,
            Expires = expires,
            SigningCredentials = new SigningCredentials(new SymmetricSecurityKey(key ?? Key), SecurityAlgorithms.HmacSha256),
        };
        return new JsonWebTokenHandler().CreateToken(descriptor);
    }

    /// <summary>
    /// The configuration of the JwtBearer scheme <paramref name="scheme"/> that accepts
    /// <see cref="Mint"/>'s tokens: <see cref="Issuer"/>, <see cref="Audience"/> and <see cref="Key"/>
    /// (or <paramref name="key"/>), as ASP.NET Core reads them from <c>Authentication:Schemes:{scheme}</c>.
    /// </summary>
    public static IEnumerable<KeyValuePair<string, string?>> BearerConfiguration(string scheme = "Bearer", byte[]? key = null)
    {
        var section = $"Authentication:Schemes:{scheme}";
        yield return new($"{section}:ValidIssuer", Issuer);
        yield return new($"{section}:ValidAudiences:0", Audience);
        yield return new($"{section}:SigningKeys:0:Issuer", Issuer);
        yield return new($"{section}:SigningKeys:0:Value", Convert.ToBase64String(key ?? Key));
    }

    private static void AddAll(Dictionary<string, object> claims, string type, IEnumerable<string>? values)
    {
        string[] all = [.. values ?? []];
        if (all.Length > 0)
        {
            // An array: JwtBearer reads one claim per value.
            claims[type] = all;
        }
    }
}
