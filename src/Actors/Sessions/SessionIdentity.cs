using System.Globalization;
using System.Security.Claims;

namespace ActorRpc.Actors.Sessions;

/// <summary>
/// Who a connection is: the user ASP.NET Core authentication found when it opened (or a later
/// <c>authenticate</c> gave), and when that user's credentials stop counting.
/// </summary>
/// <param name="User">The authenticated user; null for an anonymous connection.</param>
/// <param name="ExpiresAt">When the user's token's lifetime ends; null for never.</param>
internal sealed record SessionIdentity(ClaimsPrincipal? User, DateTimeOffset? ExpiresAt)
{
    /// <summary>A connection without a user.</summary>
    public static SessionIdentity Anonymous { get; } = new(null, null);

    /// <summary>
    /// The user a call made at <paramref name="now"/> runs as: null (anonymous) once the token's
    /// lifetime has ended, so guarded calls answer -32010 while unguarded ones go on working.
    /// </summary>
    public ClaimsPrincipal? UserAt(DateTimeOffset now) => ExpiresAt is { } expires && now >= expires ? null : User;

    /// <summary>
    /// The identity of <paramref name="user"/>: anonymous unless one of its identities is
    /// authenticated. It expires at <paramref name="expiresUtc"/> (the authentication ticket's, which
    /// JwtBearer sets from the token's <c>exp</c>), or else at the principal's own <c>exp</c> claim.
    /// </summary>
    public static SessionIdentity From(ClaimsPrincipal? user, DateTimeOffset? expiresUtc)
    {
        if (user is null || !user.Identities.Any(identity => identity.IsAuthenticated))
        {
            return Anonymous;
        }

        return new SessionIdentity(user, expiresUtc ?? ExpiryClaim(user));
    }

    private static DateTimeOffset? ExpiryClaim(ClaimsPrincipal user) =>
        user.FindFirst("exp")?.Value is { } exp && long.TryParse(exp, NumberStyles.Integer, CultureInfo.InvariantCulture, out var seconds)
            ? DateTimeOffset.FromUnixTimeSeconds(Math.Clamp(seconds, 0, 253_402_300_799))
            : null;
}
