using ActorRpc.Actors.Sessions;
using Microsoft.AspNetCore.Authentication;

namespace ActorRpc.Gateway.Authentication;

/// <summary>
/// Validates the token of the built-in <c>authenticate</c> exactly as a request's would be: the
/// application's default authentication scheme reads it from an <c>Authorization: Bearer</c> header
/// of a request made for the purpose, with the scheme's own settings (issuer, audience, keys,
/// lifetime) and events. Works with any scheme that reads bearer tokens (JwtBearer's included).
/// </summary>
internal sealed class SchemeTokenAuthenticator(IServiceScopeFactory scopes, IServiceProvider services) : ISessionAuthenticator
{
    public async Task<SessionIdentity?> AuthenticateAsync(string token, CancellationToken cancellationToken)
    {
        if (services.GetService<IAuthenticationSchemeProvider>() is not { } schemes
            || await schemes.GetDefaultAuthenticateSchemeAsync().ConfigureAwait(false) is not { } scheme)
        {
            return null; // The application authenticates nobody: no token can name a user.
        }

        var scope = scopes.CreateAsyncScope();
        await using (scope.ConfigureAwait(false))
        {
            var request = new DefaultHttpContext { RequestServices = scope.ServiceProvider, RequestAborted = cancellationToken };
            request.Request.Headers.Authorization = "Bearer " + token;
            var result = await request.AuthenticateAsync(scheme.Name).ConfigureAwait(false);
            // Refused (the connection keeps its user) unless it names a user whose lifetime has not ended.
            return result.Succeeded
                && SessionIdentity.Accepting(result.Principal, result.Properties?.ExpiresUtc, DateTimeOffset.UtcNow) is { User: not null } identity
                ? identity
                : null;
        }
    }
}
