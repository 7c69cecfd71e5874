using System.Diagnostics.CodeAnalysis;
using ActorRpc.Gateway.Endpoints;

namespace Microsoft.AspNetCore.Builder;

/// <summary>Maps the JavaScript client of ActorRpc, for pages served by the same application.</summary>
public static class ActorRpcBrowserClientEndpointRouteBuilderExtensions
{
    /// <summary>
    /// Serves ActorRpc's browser client, a dependency-free ES module (<c>clients/js/actorrpc.js</c>
    /// of the version this assembly was built with), on <paramref name="pattern"/> for GET and HEAD:
    /// <c>text/javascript; charset=utf-8</c> with a strong <c>ETag</c> (304 when
    /// <c>If-None-Match</c> names it), <c>Cache-Control: no-cache</c> (browsers revalidate, so a new
    /// server version is picked up at once) and <c>X-Content-Type-Options: nosniff</c>.
    /// A page imports it with <c>import { ActorRpcClient } from "/actorrpc.js";</c>.
    /// </summary>
    /// <param name="endpoints">The application's endpoints.</param>
    /// <param name="pattern">The route pattern. <b>Default:</b> <c>/actorrpc.js</c>.</param>
    /// <returns>A builder for conventions on the mapped endpoint (host, authorization, CORS).</returns>
    /// <remarks>
    /// It needs none of ActorRpc's services, so a site that only hosts pages for a server elsewhere
    /// may map it too. The script is read and hashed once per process.
    /// </remarks>
    public static IEndpointConventionBuilder MapActorRpcBrowserClient(
        this IEndpointRouteBuilder endpoints,
        [StringSyntax("Route")] string pattern = "/actorrpc.js")
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        ArgumentException.ThrowIfNullOrWhiteSpace(pattern);

        // Loaded now rather than on the first request, so a build without the script fails at start-up.
        var script = BrowserClientScript.Instance;
        return endpoints.MapMethods(pattern, [HttpMethods.Get, HttpMethods.Head], script.HandleAsync)
            .WithDisplayName($"ActorRpc browser client {pattern}");
    }
}
