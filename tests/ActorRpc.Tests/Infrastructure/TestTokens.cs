using System.Security.Cryptography;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace ActorRpc.Tests.Infrastructure;

/// <summary>
/// Bearer tokens for tests: HS256 JWTs signed with a key made once per test run, and the
/// configuration that makes ASP.NET Core's JwtBearer accept them with nothing but
/// <c>AddAuthentication().AddJwtBearer()</c> (it binds <c>Authentication:Schemes:Bearer</c> itself).
/// </summary>
public static class TestTokens
{
    public const string Issuer = "actorrpc-tests";

    public const string Audience = "actorrpc";

    /// <summary>The signing key the configuration trusts: 256 bits, as HS256 requires.</summary>
    public static readonly byte[] Key = RandomNumberGenerator.GetBytes(32);

    private static readonly JsonWebTokenHandler Handler = new();

    /// <summary>
    /// A signed token for user <paramref name="name"/> (claims <c>unique_name</c> and <c>name</c>),
    /// with a <c>role</c> claim per role and a <c>permission</c> claim per permission. It lives
    /// <paramref name="lifetime"/> (an hour unless told) from now; a negative lifetime makes a token
    /// that expired that long ago (its not-before and issued-at times earlier still). The key,
    /// audience and issuer default to the ones <see cref="BearerConfiguration"/> trusts.
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
        var lasts = lifetime ?? TimeSpan.FromHours(1);
        var expires = now + lasts;
        var issued = lasts > TimeSpan.Zero ? now : expires - TimeSpan.FromMinutes(5);

        var claims = new Dictionary<string, object>
        {
            [JwtRegisteredClaimNames.UniqueName] = name,
            [JwtRegisteredClaimNames.Name] = name,
        };

        // An array value becomes one claim per element when the token is read.
        if (roles?.ToArray() is { Length: > 0 } roleValues)
        {
            claims["role"] = roleValues;
        }

        if (permissions?.ToArray() is { Length: > 0 } permissionValues)
        {
            claims["permission"] = permissionValues;
        }

        return Handler.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = issuer ?? Issuer,
            Audience = audience ?? Audience,
            Claims = claims,
            IssuedAt = issued,
            NotBefore = issued,
            Expires = expires,
            SigningCredentials = new SigningCredentials(new SymmetricSecurityKey(key ?? Key), SecurityAlgorithms.HmacSha256),
        });
    }

    /// <summary>
    /// The <c>Authentication:Schemes:Bearer</c> settings that trust <see cref="Mint"/>'s tokens
    /// (or tokens of another <paramref name="key"/>, <paramref name="audience"/> or <paramref name="issuer"/>),
    /// for <c>builder.Configuration.AddInMemoryCollection(...)</c>.
    /// </summary>
    public static IEnumerable<KeyValuePair<string, string?>> BearerConfiguration(byte[]? key = null, string? audience = null, string? issuer = null)
    {
        const string Section = "Authentication:Schemes:Bearer:";
        return
        [
            new(Section + "ValidIssuer", issuer ?? Issuer),
            new(Section + "ValidAudiences:0", audience ?? Audience),
            new(Section + "SigningKeys:0:Issuer", issuer ?? Issuer),
            new(Section + "SigningKeys:0:Value", Convert.ToBase64String(key ?? Key)),
        ];
    }
}
