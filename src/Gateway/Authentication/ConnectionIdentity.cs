using ActorRpc.Actors.Sessions;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Net.Http.Headers;

namespace ActorRpc.Gateway.Authentication;

/// <summary>
/// Who opens a connection (a WebSocket upgrade or a POST): the user ASP.NET Core's authentication
/// middleware put in <see cref="HttpContext.User"/>, whatever its scheme. A request that presented
/// credentials (an <c>Authorization</c> header, or an <c>access_token</c> query parameter) which
/// failed to validate (a token with a bad signature, expired, for another issuer or audience) is
/// refused: its client expects to be someone, and would otherwise find itself anonymous with no
/// word of why. A request that presented none is anonymous whatever the default scheme says, so a
/// stale cookie (cookies being the default scheme) does not lock a browser out of public methods.
/// </summary>
/// <remarks>Used by ActorRpc's endpoints only, the one place <c>access_token</c> counts as a credential (<see cref="AccessTokenQuery"/>).</remarks>
internal static class ConnectionIdentity
{
    /// <summary>The connection's identity; null when the request is refused (the scheme's challenge, a 401, has been written).</summary>
    public static async Task<SessionIdentity?> ReadAsync(HttpContext context)
    {
        var now = DateTimeOffset.UtcNow;
        var user = context.User;
        if (user.Identities.Any(identity => identity.IsAuthenticated))
        {
            var ticket = context.Features.Get<IAuthenticateResultFeature>()?.AuthenticateResult;
            if (SessionIdentity.Accepting(user, ticket?.Properties?.ExpiresUtc, now) is { } identity)
            {
                return identity;
            }

            await context.ChallengeAsync().ConfigureAwait(false);
            return null;
        }

        // The middleware keeps only successes; a failure is learnt by asking the default scheme,
        // whose handler answers from the result it cached for this request.
        if (context.RequestServices.GetService<IAuthenticationSchemeProvider>() is not { } schemes
            || await schemes.GetDefaultAuthenticateSchemeAsync().ConfigureAwait(false) is not { } scheme)
        {
            return SessionIdentity.Anonymous;
        }

        var result = await context.AuthenticateAsync(scheme.Name).ConfigureAwait(false);
        if (result.Failure is null)
        {
            if (SessionIdentity.Accepting(result.Principal, result.Properties?.ExpiresUtc, now) is { } authenticated)
            {
                return authenticated;
            }
        }
        else if (!PresentsCredentials(context.Request))
        {
            return SessionIdentity.Anonymous;
        }

        await context.ChallengeAsync(scheme.Name).ConfigureAwait(false);
        return null;
    }

    // What a client sends when it means to be someone; a cookie it may not even know it still has is not.
    private static bool PresentsCredentials(HttpRequest request) =>
        request.Headers.ContainsKey(HeaderNames.Authorization) || request.Query.ContainsKey(AccessTokenQuery.ParameterName);
}
