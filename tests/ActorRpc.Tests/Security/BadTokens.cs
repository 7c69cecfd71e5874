using System.Security.Cryptography;
using ActorRpc.Tests.Infrastructure;

namespace ActorRpc.Tests.Security;

/// <summary>What is wrong with a token the server must refuse.</summary>
public enum TokenDefect
{
    /// <summary>Expired ten minutes ago: past any clock skew.</summary>
    Expired,

    /// <summary>Signed with a key the server does not trust.</summary>
    OtherKey,

    /// <summary>Meant for another audience.</summary>
    OtherAudience,

    /// <summary>From an issuer the server does not trust (signed with the trusted key).</summary>
    OtherIssuer,

    /// <summary>Not a JWT at all.</summary>
    Malformed,
}

/// <summary>Tokens for <c>mallory</c> with one defect each, otherwise as <see cref="TestTokens.Mint"/> makes them.</summary>
public static class BadTokens
{
    public const string Name = "mallory";

    public static IEnumerable<TokenDefect> All => Enum.GetValues<TokenDefect>();

    public static string Mint(TokenDefect defect) => defect switch
    {
        TokenDefect.Expired => TestTokens.Mint(Name, lifetime: TimeSpan.FromMinutes(-10)),
        TokenDefect.OtherKey => TestTokens.Mint(Name, key: RandomNumberGenerator.GetBytes(32)),
        TokenDefect.OtherAudience => TestTokens.Mint(Name, audience: "someone-else"),
        TokenDefect.OtherIssuer => TestTokens.Mint(Name, issuer: "someone-else"),
        TokenDefect.Malformed => "not-a-jwt",
        _ => throw new ArgumentOutOfRangeException(nameof(defect), defect, null),
    };
}
