using System.Security.Claims;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace ActorRpc.Tests.Infrastructure;

/// <summary>
/// HS256 JWTs for tests, and the configuration that makes ASP.NET Core's JwtBearer accept them
/// (<c>AddAuthentication().AddJwtBearer()</c> binds <c>Authentication:Schemes:Bearer</c> by itself).
/// </summary>
public static class TestTokens
{
    public const string Issuer = "actorrpc-tests";

    public const string Audience = "actorrpc";

    /// <summary>The signing key every node of a test trusts: 32 bytes, the least HS256 accepts.</summary>
    public static readonly byte[] Key = "actorrpc-tests-signing-key-32-bytes-long!"u8.ToArray();

    /// <summary>
    /// A signed token for <paramref name="name"/> (claim <c>unique_name</c>, which JwtBearer maps to
    /// the identity's name), with a <c>role</c> claim per role and a <c>permission</c> claim per permission.
    /// A negative <paramref name="lifetime"/> makes a token that has already expired.
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
        List<Claim> claims = [new("unique_name", name)];
        claims.AddRange((roles ?? []).Select(role => new Claim("role", role)));
        claims.AddRange((permissions ?? []).Select(permission => new Claim("permission", permission)));

        var now = DateTime.UtcNow;
        var expires = now + (lifetime ?? TimeSpan.FromHours(1));

        // Valid from a minute before it expires at the latest, so an expired token is otherwise well formed.
        var notBefore = (expires < now ? expires : now).AddMinutes(-1);
        return new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false }.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = issuer ?? Issuer,
            Audience = audience ?? Audience,
            Subject = new ClaimsIdentity(claims),
            IssuedAt = notBefore,
            NotBefore = notBefore,
            Expires = expires,
            SigningCredentials = new SigningCredentials(new SymmetricSecurityKey(key ?? Key), SecurityAlgorithms.HmacSha256),
        });
    }

    /// <summary>The <c>Authentication:Schemes:Bearer</c> settings that accept <see cref="Mint"/>'s tokens.</summary>
    public static IEnumerable<KeyValuePair<string, string?>> BearerConfiguration(byte[]? key = null, string? issuer = null, string? audience = null)
    {
        const string section = "Authentication:Schemes:Bearer";
        yield return new($"{section}:ValidIssuer", issuer ?? Issuer);
        yield return new($"{section}:ValidAudiences:0", audience ?? Audience);
        yield return new($"{section}:SigningKeys:0:Issuer", issuer ?? Issuer);
        yield return new($"{section}:SigningKeys:0:Value", Convert.ToBase64String(key ?? Key));
    }

    /// <summary><see cref="BearerConfiguration"/> as command-line settings (<c>--key=value</c>), as <see cref="RpcServer.StartAsync"/> takes them.</summary>
    public static string[] BearerArguments(byte[]? key = null, string? issuer = null, string? audience = null) =>
        [.. BearerConfiguration(key, issuer, audience).Select(setting => $"--{setting.Key}={setting.Value}")];
}
