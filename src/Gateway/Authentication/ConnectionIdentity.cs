using ActorRpc.Actors.Sessions;
using Microsoft.AspNetCore.Authentication;

namespace ActorRpc.Gateway.Authentication;

/// <summary>
/// Who opens a connection (a WebSocket upgrade or a POST): the user ASP.NET Core's authentication
/// middleware put in <see cref="HttpContext.User"/>, whatever its scheme. A request that presented
/// credentials which failed to validate (a token with a bad signature, expired, for another issuer
/// or audience) is refused: its client expects to be someone, and would otherwise find itself
/// anonymous with no word of why.
/// </summary>
internal static class ConnectionIdentity
{
    /// <summary>The connection's identity; null when the request is refused (the scheme's challenge, a 401, has been written).</summary>
    public static async Task<SessionIdentity?> ReadAsync(HttpContext context)
    {
        var user = context.User;
        if (user.Identities.Any(identity => identity.IsAuthenticated))
        {
            var ticket = context.Features.Get<IAuthenticateResultFeature>()?.AuthenticateResult;
            return SessionIdentity.From(user, ticket?.Properties?.ExpiresUtc);
        }

        // The middleware keeps only successes; a failure is learnt by asking the default scheme,
        // whose handler answers from the result it cached for this request.
        if (context.RequestServices.GetService<IAuthenticationSchemeProvider>() is not { } schemes
            || await schemes.GetDefaultAuthenticateSchemeAsync().ConfigureAwait(false) is not { } scheme)
        {
            return SessionIdentity.Anonymous;
        }

        var result = await context.AuthenticateAsync(scheme.Name).ConfigureAwait(false);
        if (result.Failure is not null)
        {
            await context.ChallengeAsync(scheme.Name).ConfigureAwait(false);
            return null;
        }

        return SessionIdentity.From(result.Principal, result.Properties?.ExpiresUtc);
    }
}
