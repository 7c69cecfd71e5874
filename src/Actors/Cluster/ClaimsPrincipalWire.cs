using System.Runtime.Serialization;
using System.Security.Claims;

namespace ActorRpc.Actors.Cluster;

/// <summary>
/// The caller's user as it crosses to the node that runs a role-hosted method: every identity with
/// what makes <see cref="ClaimsPrincipal.IsInRole"/>, <see cref="ClaimsIdentity.Name"/> and
/// <see cref="ClaimsIdentity.IsAuthenticated"/> answer the same there (the authentication type and
/// the name and role claim types), and every claim with its value type and issuers.
/// </summary>
/// <remarks>
/// Layout: identity count, then per identity AuthenticationType (empty for none), NameClaimType,
/// RoleClaimType, claim count, then per claim Type, Value, ValueType, Issuer, OriginalIssuer.
/// Counts are 7-bit encoded, strings as <see cref="BinaryWriter.Write(string)"/> writes them; an
/// anonymous caller is a count of zero (one byte). Claim properties, actors and bootstrap contexts
/// stay behind: no guard or handler on the other node should depend on how a token was parsed.
/// </remarks>
internal static class ClaimsPrincipalWire
{
    /// <summary>More identities than any real sign-in produces; more in a frame is a malformed frame.</summary>
    public const int MaxIdentities = 64;

    /// <summary>Claims over all identities of one user; more in a frame is a malformed frame.</summary>
    public const int MaxClaims = 4096;

    // The least each item takes on the wire: four empty strings or counts (identity), five empty strings (claim).
    private const int MinIdentityBytes = 4;
    private const int MinClaimBytes = 5;

    /// <summary>Writes <paramref name="user"/>, or no identity for null.</summary>
    /// <exception cref="SerializationException">The user has more identities or claims than the other node reads.</exception>
    public static void Write(BinaryWriter writer, ClaimsPrincipal? user)
    {
        if (user is null)
        {
            writer.Write7BitEncodedInt(0);
            return;
        }

        // Refused here rather than by the other node, so the sender's log says why the call went nowhere.
        var identities = user.Identities as IReadOnlyCollection<ClaimsIdentity> ?? [.. user.Identities];
        if (identities.Count > MaxIdentities)
        {
            throw new SerializationException($"The caller's user has {identities.Count} identities; at most {MaxIdentities} cross to another node.");
        }

        var claims = identities.Sum(static identity => identity.Claims.Count());
        if (claims > MaxClaims)
        {
            throw new SerializationException($"The caller's user has {claims} claims; at most {MaxClaims} cross to another node.");
        }

        writer.Write7BitEncodedInt(identities.Count);
        foreach (var identity in identities)
        {
            writer.Write(identity.AuthenticationType ?? string.Empty);
            writer.Write(identity.NameClaimType);
            writer.Write(identity.RoleClaimType);
            writer.Write7BitEncodedInt(identity.Claims.Count());
            foreach (var claim in identity.Claims)
            {
                writer.Write(claim.Type);
                writer.Write(claim.Value);
                writer.Write(claim.ValueType);
                writer.Write(claim.Issuer);
                writer.Write(claim.OriginalIssuer);
            }
        }
    }

    /// <summary>Reads what <see cref="Write"/> wrote: null for no identity.</summary>
    /// <exception cref="SerializationException">A count the frame cannot hold or over its limit, or any other malformed field.</exception>
    public static ClaimsPrincipal? Read(ref ClusterFrameReader reader)
    {
        var identityCount = reader.ReadCount(MinIdentityBytes);
        if (identityCount == 0)
        {
            return null;
        }

        if (identityCount > MaxIdentities)
        {
            throw reader.Malformed($"a user of {identityCount} identities, more than {MaxIdentities}");
        }

        var identities = new List<ClaimsIdentity>(identityCount);
        var claimsLeft = MaxClaims;
        for (var i = 0; i < identityCount; i++)
        {
            var authenticationType = reader.ReadString();
            var identity = new ClaimsIdentity(
                authenticationType.Length == 0 ? null : authenticationType,
                nameType: reader.ReadString(),
                roleType: reader.ReadString());
            var claimCount = reader.ReadCount(MinClaimBytes);
            if (claimCount > claimsLeft)
            {
                throw reader.Malformed($"a user of more than {MaxClaims} claims");
            }

            claimsLeft -= claimCount;
            for (var c = 0; c < claimCount; c++)
            {
                // Made with its subject, so AddClaim keeps it rather than cloning it.
                identity.AddClaim(new Claim(
                    type: reader.ReadString(),
                    value: reader.ReadString(),
                    valueType: reader.ReadString(),
                    issuer: reader.ReadString(),
                    originalIssuer: reader.ReadString(),
                    subject: identity));
            }

            identities.Add(identity);
        }

        return new ClaimsPrincipal(identities);
    }
}
