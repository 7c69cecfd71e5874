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
    public ClaimsPrincipal? UserAt(DateTimeOffset now) => IsExpiredAt(now) ? null : User;

    /// <summary>Whether the user's token's lifetime has ended at <paramref name="now"/> (never for an anonymous connection).</summary>
    public bool IsExpiredAt(DateTimeOffset now) => User is not null && ExpiresAt is { } expires && now >= expires;

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

    /// <summary>
    /// The identity of an authentication's result (<see cref="From"/>); null when it is refused
    /// because its lifetime has already ended at <paramref name="now"/>. A token past its lifetime
    /// but within the scheme's clock skew (JwtBearer's is 5 minutes) is valid to the scheme, yet
    /// would leave a connection whose user is anonymous from its first call.
    /// </summary>
    /// <param name="user">The result's principal; null or unauthenticated for none (anonymous, never refused).</param>
    /// <param name="expiresUtc">The authentication ticket's expiry (<c>AuthenticationProperties.ExpiresUtc</c>).</param>
    /// <param name="now">The time the result is used at.</param>
    public static SessionIdentity? Accepting(ClaimsPrincipal? user, DateTimeOffset? expiresUtc, DateTimeOffset now)
    {
        var identity = From(user, expiresUtc);
        return identity.IsExpiredAt(now) ? null : identity;
    }

    private static DateTimeOffset? ExpiryClaim(ClaimsPrincipal user) =>
        user.FindFirst("exp")?.Value is { } exp && long.TryParse(exp, NumberStyles.Integer, CultureInfo.InvariantCulture, out var seconds)
            ? DateTimeOffset.FromUnixTimeSeconds(Math.Clamp(seconds, 0, 253_402_300_799))
            : null;
}
