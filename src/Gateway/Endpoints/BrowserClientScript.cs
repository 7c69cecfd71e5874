using System.Security.Cryptography;
using Microsoft.Extensions.Primitives;
using Microsoft.Net.Http.Headers;

namespace ActorRpc.Gateway.Endpoints;

/// <summary>
/// The browser client (<c>clients/js/actorrpc.js</c>), embedded in this assembly at build time, and
/// how <c>MapActorRpcBrowserClient</c> answers for it. The bytes and their entity tag are read and
/// hashed once per process: the script changes only with the assembly, so the tag does too.
/// </summary>
internal sealed class BrowserClientScript
{
    /// <summary>The manifest resource name (the <c>LogicalName</c> in ActorRpc.Gateway.csproj).</summary>
    public const string ResourceName = "ActorRpc.Gateway.actorrpc.js";

    /// <summary>JavaScript's registered media type (RFC 9239), always UTF-8.</summary>
    public const string ContentType = "text/javascript; charset=utf-8";

    private static readonly Lazy<BrowserClientScript> Embedded = new(Load);

    private BrowserClientScript(byte[] content)
    {
        Content = content;

        // A strong tag (the bytes' SHA-256, shortened): equal tags mean equal bytes, whichever node
        // of a cluster answered, so a browser's cached copy stays valid across nodes and restarts.
        ETag = new EntityTagHeaderValue($"\"{Convert.ToHexStringLower(SHA256.HashData(content).AsSpan(0, 16))}\"");
    }

    /// <summary>The script's bytes (UTF-8).</summary>
    public ReadOnlyMemory<byte> Content { get; }

    /// <summary>The script's strong entity tag.</summary>
    public EntityTagHeaderValue ETag { get; }

    /// <summary>The script embedded in this assembly, loaded on first use.</summary>
    /// <exception cref="InvalidOperationException">The assembly was built without it.</exception>
    public static BrowserClientScript Instance => Embedded.Value;

    /// <summary>Answers a GET or HEAD: 304 when <c>If-None-Match</c> names this version, else the script (its headers only for HEAD).</summary>
    public Task HandleAsync(HttpContext context)
    {
        var response = context.Response;
        var headers = response.Headers;
        headers.ETag = ETag.ToString();

        // "no-cache" is not "no-store": the browser keeps its copy but asks each time, and the ETag
        // makes that a 304 until the server's assembly (and so the script) changes.
        headers.CacheControl = "no-cache";
        headers.XContentTypeOptions = "nosniff";

        if (Matches(context.Request.Headers.IfNoneMatch))
        {
            response.StatusCode = StatusCodes.Status304NotModified;
            return Task.CompletedTask;
        }

        response.StatusCode = StatusCodes.Status200OK;
        headers.ContentType = ContentType;
        headers.ContentLength = Content.Length;
        return HttpMethods.IsHead(context.Request.Method)
            ? Task.CompletedTask
            : response.Body.WriteAsync(Content, context.RequestAborted).AsTask();
    }

    /// <summary>Whether an <c>If-None-Match</c> header names this version: <c>*</c>, or a tag equal by weak comparison (RFC 9110 13.1.2).</summary>
    private bool Matches(StringValues ifNoneMatch)
    {
        if (StringValues.IsNullOrEmpty(ifNoneMatch) || !EntityTagHeaderValue.TryParseList(ifNoneMatch, out var tags))
        {
            return false;
        }

        return tags.Any(tag => tag.Equals(EntityTagHeaderValue.Any) || tag.Compare(ETag, useStrongComparison: false));
    }

    private static BrowserClientScript Load()
    {
        using var stream = typeof(BrowserClientScript).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"The browser client ({ResourceName}) is not embedded in {typeof(BrowserClientScript).Assembly.GetName().Name}.");
        using var copy = new MemoryStream(checked((int)stream.Length));
        stream.CopyTo(copy);
        return new BrowserClientScript(copy.ToArray());
    }
}
