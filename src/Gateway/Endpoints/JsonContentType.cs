using Microsoft.Net.Http.Headers;

namespace ActorRpc.Gateway.Endpoints;

/// <summary>
/// Which <c>Content-Type</c>s a JSON-RPC POST may have: <c>application/json</c>, and the two
/// JSON-RPC media types clients still send, <c>application/json-rpc</c> and
/// <c>application/jsonrequest</c>; a <c>charset</c> parameter only if it is UTF-8. None of them is
/// one a browser sends cross-site without a CORS preflight (those are <c>text/plain</c>,
/// <c>application/x-www-form-urlencoded</c> and <c>multipart/form-data</c>), so a page on another
/// site cannot make calls in its visitor's name; everything else gets 415.
/// </summary>
internal static class JsonContentType
{
    /// <summary>The body of a 415 answer.</summary>
    public const string RefusalMessage =
        "A JSON-RPC POST needs Content-Type: application/json (or application/json-rpc, application/jsonrequest), charset UTF-8 if any.";

    private static readonly string[] Accepted = ["application/json", "application/json-rpc", "application/jsonrequest"];

    /// <summary>True when <paramref name="contentType"/> (the raw header, null when absent) may carry a JSON-RPC message.</summary>
    public static bool IsAccepted(string? contentType)
    {
        if (!MediaTypeHeaderValue.TryParse(contentType, out var mediaType))
        {
            return false;
        }

        if (!Accepted.Any(accepted => mediaType.MediaType.Equals(accepted, StringComparison.OrdinalIgnoreCase)))
        {
            return false;
        }

        // JSON is UTF-8 (RFC 8259); a body declared in another charset would be read wrongly.
        var charset = mediaType.Charset;
        return !charset.HasValue
            || charset.Equals("utf-8", StringComparison.OrdinalIgnoreCase)
            || charset.Equals("utf8", StringComparison.OrdinalIgnoreCase);
    }
}
