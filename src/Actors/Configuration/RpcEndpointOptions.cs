using System.ComponentModel.DataAnnotations;

namespace ActorRpc;

/// <summary>The WebSocket and HTTP endpoints mapped by <c>MapActorRpc</c>. Bound from <c>ActorRpc:Endpoint</c>; see docs/configuration.md.</summary>
public sealed class RpcEndpointOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "ActorRpc:Endpoint";

    /// <summary>
    /// Browser origins allowed to open a WebSocket (the <c>Origin</c> header of the upgrade request;
    /// any other origin gets 403). Requests without an <c>Origin</c> (non-browser clients) are not
    /// affected. Cross-origin POSTs follow ASP.NET Core CORS: <c>MapActorRpc(...).RequireCors(...)</c>.
    /// Empty allows any origin. <b>Default:</b> empty.
    /// </summary>
    public IList<string> AllowedOrigins { get; } = [];

    /// <summary>
    /// WebSocket subprotocols the server accepts when a client asks for one (browsers fail the
    /// handshake if a requested subprotocol is not answered). The first one the client offers that
    /// is in this list is selected; clients that ask for none are accepted too.
    /// <b>Default:</b> <c>jsonrpc-2.0</c>, <c>jsonrpc</c>, <c>json-rpc</c>.
    /// </summary>
    public IList<string> SubProtocols { get; } = ["jsonrpc-2.0", "jsonrpc", "json-rpc"];

    /// <summary>How often the server pings each WebSocket, keeping it (and proxies) alive. <b>Default:</b> 30 s.</summary>
    public TimeSpan KeepAliveInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How long a client may leave a ping unanswered before its connection is aborted, so half-open
    /// connections (a dropped NAT, a sleeping laptop) do not keep their sessions and subscriptions.
    /// <b>Default:</b> 30 s.
    /// </summary>
    public TimeSpan KeepAliveTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How long a closing handshake (or a send to a client that stopped reading, once a close is due)
    /// may take before the connection is aborted. <b>Default:</b> 5 s.
    /// </summary>
    public TimeSpan CloseTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// How long a WebSocket may go without a message either way (requests, replies, notifications;
    /// not pings) before the server closes it with 1000 and the reason "Idle timeout". A subscriber
    /// of a busy topic is never idle; one of a quiet topic should call <c>ping</c> now and then, or
    /// this be raised. <see cref="Timeout.InfiniteTimeSpan"/> turns it off. <b>Default:</b> 10 min.
    /// </summary>
    public TimeSpan IdleTimeout { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>
    /// The most WebSocket connections one node holds; a further upgrade request is refused with 503
    /// (and <c>Retry-After</c>) before the handshake, so the client can try another node.
    /// <b>Default:</b> 20,000.
    /// </summary>
    [Range(1, 10_000_000)]
    public int MaxConnections { get; set; } = 20_000;

    /// <summary>What a binary WebSocket message gets. <b>Default:</b> <see cref="BinaryMessageHandling.Close"/>.</summary>
    public BinaryMessageHandling BinaryMessages { get; set; } = BinaryMessageHandling.Close;
}

/// <summary>What to do with a binary WebSocket message (JSON-RPC is text).</summary>
public enum BinaryMessageHandling
{
    /// <summary>Close the connection with 1003 (Unsupported Data).</summary>
    Close,

    /// <summary>Read its bytes as UTF-8 JSON, like a text message (for clients that only send binary).</summary>
    TreatAsText,
}
