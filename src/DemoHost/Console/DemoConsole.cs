using System.Security.Cryptography;
using Microsoft.Extensions.Primitives;
using Microsoft.Net.Http.Headers;

namespace ActorRpc.DemoHost;

/// <summary>
/// The console at <c>/</c>: a page (Console/index.html, console.css, console.js) that connects to
/// the node's <c>/rpc</c> with the browser client <c>MapActorRpcBrowserClient</c> serves, lists the
/// methods and topics <c>rpc.discover</c> reports, and calls, subscribes and answers the server's
/// calls. The files are embedded in this assembly: the node's content root is its bin folder, where
/// no source file is.
/// </summary>
public static class DemoConsole
{
    /// <summary>
    /// The page's Content-Security-Policy: its own scripts, styles and WebSocket only, nothing
    /// inline, no framing. The console shows what the server sends (with textContent), and this
    /// keeps anything it might show from running or loading. <c>connect-src 'self'</c> also allows
    /// the page's own host over ws: and wss: (CSP Level 3), and no other host. <c>base-uri</c> and
    /// <c>form-action</c> do not fall back to <c>default-src</c>, so they are given: no form may be
    /// submitted natively (the token form is handled by script only). Trusted types are required,
    /// so that an HTML sink such as <c>innerHTML</c>, should one ever creep in, throws.
    /// </summary>
    public const string ContentSecurityPolicy =
        "default-src 'self'; script-src 'self'; connect-src 'self'; style-src 'self'; img-src 'self' data:; object-src 'none'; " +
        "base-uri 'none'; form-action 'none'; frame-ancestors 'none'; require-trusted-types-for 'script'";

    // Path, the resource's LogicalName (ActorRpc.DemoHost.csproj), media type.
    private static readonly (string Path, string Resource, string ContentType)[] Files =
    [
        ("/", "ActorRpc.DemoHost.Console.index.html", "text/html; charset=utf-8"),
        ("/console.css", "ActorRpc.DemoHost.Console.console.css", "text/css; charset=utf-8"),
        ("/console.js", "ActorRpc.DemoHost.Console.console.js", "text/javascript; charset=utf-8"),
    ];

    /// <summary>Maps the console's page, stylesheet and script (GET and HEAD).</summary>
    /// <param name="endpoints">The node's endpoints.</param>
    /// <returns>A builder for conventions on the three endpoints.</returns>
    public static IEndpointConventionBuilder MapDemoConsole(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        var group = endpoints.MapGroup(string.Empty);
        foreach (var (path, resource, contentType) in Files)
        {
            var file = ConsoleFile.Load(resource, contentType);
            group.MapMethods(path, [HttpMethods.Get, HttpMethods.Head], file.ServeAsync).WithDisplayName($"Demo console {path}");
        }

        return group;
    }

    private sealed class ConsoleFile(byte[] content, string contentType)
    {
        // The bytes' hash: the files change only with the assembly.
        private readonly EntityTagHeaderValue _etag = new($"\"{Convert.ToHexStringLower(SHA256.HashData(content).AsSpan(0, 16))}\"");

        /// <summary>
        /// Whether an <c>If-None-Match</c> header names this version: <c>*</c>, or a tag equal by weak
        /// comparison (RFC 9110 13.1.2), in any of its comma-separated lists. The same rule as the
        /// Gateway's script endpoint (BrowserClientScript), which the demo node cannot call: it is internal.
        /// </summary>
        private bool Matches(StringValues ifNoneMatch) =>
            !StringValues.IsNullOrEmpty(ifNoneMatch)
            && EntityTagHeaderValue.TryParseList(ifNoneMatch, out var tags)
            && tags.Any(tag => tag.Equals(EntityTagHeaderValue.Any) || tag.Compare(_etag, useStrongComparison: false));

        public static ConsoleFile Load(string resource, string contentType)
        {
            using var stream = typeof(DemoConsole).Assembly.GetManifestResourceStream(resource)
                ?? throw new InvalidOperationException($"The console file {resource} is not embedded in the demo node.");
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            return new ConsoleFile(copy.ToArray(), contentType);
        }

        public Task ServeAsync(HttpContext context)
        {
            var headers = context.Response.Headers;
            headers.ContentSecurityPolicy = ContentSecurityPolicy;
            headers.XContentTypeOptions = "nosniff";
            headers.CacheControl = "no-cache";
            headers.ETag = _etag.ToString();
            if (Matches(context.Request.Headers.IfNoneMatch))
            {
                context.Response.StatusCode = StatusCodes.Status304NotModified;
                return Task.CompletedTask;
            }

            headers.ContentType = contentType;
            headers.ContentLength = content.Length;
            return HttpMethods.IsHead(context.Request.Method) ? Task.CompletedTask : context.Response.Body.WriteAsync(content, context.RequestAborted).AsTask();
        }
    }
}
