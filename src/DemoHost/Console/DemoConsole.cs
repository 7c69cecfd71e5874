using System.Security.Cryptography;

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
    /// keeps anything it might show from running or loading.
    /// </summary>
    public const string ContentSecurityPolicy =
        "default-src 'self'; script-src 'self'; connect-src 'self' ws: wss:; style-src 'self'; img-src 'self' data:; frame-ancestors 'none'";

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
        private readonly string _etag = $"\"{Convert.ToHexStringLower(SHA256.HashData(content).AsSpan(0, 16))}\"";

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
            headers.ETag = _etag;
            if (context.Request.Headers.IfNoneMatch.Contains(_etag))
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
