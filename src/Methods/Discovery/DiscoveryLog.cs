using Microsoft.Extensions.Logging;

namespace ActorRpc.Methods.Discovery;

/// <summary>The log lines of <c>rpc.discover</c>: stable ids, named placeholders.</summary>
internal static partial class DiscoveryLog
{
    [LoggerMessage(1501, LogLevel.Warning, "rpc.discover cannot describe method {Method}: its params and result are listed as not described")]
    public static partial void MethodNotDescribed(ILogger logger, string method, Exception exception);

    [LoggerMessage(1502, LogLevel.Warning, "rpc.discover ignores the XML documentation file {Path}: {Size} bytes, more than the {Limit} it reads")]
    public static partial void XmlDocumentationTooLarge(ILogger logger, string path, long size, long limit);

    [LoggerMessage(1503, LogLevel.Warning, "rpc.discover cannot read the XML documentation file {Path}")]
    public static partial void XmlDocumentationUnreadable(ILogger logger, string path, Exception exception);
}
