using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.Extensions.Options;

namespace ActorRpc.Gateway.Hosting;

/// <summary>
/// Refuses to start a node that signs users in with credentials a browser sends by itself (cookies;
/// also Windows Negotiate/NTLM and TLS client certificates) while
/// <c>ActorRpc:Endpoint:AllowedOrigins</c> is empty. Browsers attach cookies to a WebSocket upgrade
/// from any page and do not apply CORS to it, so a page on another site could open a socket in its
/// visitor's name and call methods as them (cross-site WebSocket hijacking). An empty list is safe
/// only while credentials travel in headers or the query string, which a foreign page cannot add.
/// </summary>
internal sealed class CookieOriginStartupCheck(IServiceProvider services, IOptions<RpcEndpointOptions> endpoint) : IHostedLifecycleService
{
    public async Task StartingAsync(CancellationToken cancellationToken)
    {
        // Authentication is the application's choice: without AddAuthentication there is no scheme provider, and no cookie.
        if (endpoint.Value.AllowedOrigins.Count > 0 || services.GetService<IAuthenticationSchemeProvider>() is not { } schemes)
        {
            return;
        }

        var cookieSchemes = (await schemes.GetAllSchemesAsync().ConfigureAwait(false))
            .Where(scheme => IsAmbient(scheme.HandlerType))
            .Select(scheme => scheme.Name)
            .ToList();
        if (cookieSchemes.Count > 0)
        {
            throw new InvalidOperationException(
                $"ActorRpc:Endpoint:AllowedOrigins is empty, but the application authenticates with credentials the browser sends by itself (cookies, Negotiate or client certificates: scheme {string.Join(", ", cookieSchemes.Select(name => $"'{name}'"))}). "
                + "A browser sends those with a WebSocket upgrade from any site, so a page elsewhere could call methods in its visitor's name "
                + "(cross-site WebSocket hijacking). Set ActorRpc:Endpoint:AllowedOrigins to the origins of your own pages, such as https://app.example.com.");
        }
    }

    // Cookies, Windows sign-in and TLS client certificates all reach a cross-site WebSocket upgrade without
    // the page's help. The last two live in packages this library does not reference, hence by name.
    private static bool IsAmbient(Type handlerType)
    {
        if (typeof(CookieAuthenticationHandler).IsAssignableFrom(handlerType))
        {
            return true;
        }

        for (var type = handlerType; type is not null; type = type.BaseType)
        {
            if (type.FullName is AmbientHandlerNames.Negotiate or AmbientHandlerNames.Certificate)
            {
                return true;
            }
        }

        return false;
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}

/// <summary>Handlers of ambient credentials in packages ActorRpc does not reference.</summary>
file static class AmbientHandlerNames
{
    public const string Negotiate = "Microsoft.AspNetCore.Authentication.Negotiate.NegotiateHandler";
    public const string Certificate = "Microsoft.AspNetCore.Authentication.Certificate.CertificateAuthenticationHandler";
}
