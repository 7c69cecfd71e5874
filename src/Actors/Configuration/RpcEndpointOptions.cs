using System.ComponentModel.DataAnnotations;

namespace ActorRpc;

/// <summary>The WebSocket and HTTP endpoints mapped by <c>MapActorRpc</c>. Bound from <c>ActorRpc:Endpoint</c>; see docs/configuration.md.</summary>
public sealed class RpcEndpointOptions : IValidatableObject
{
    /// <summary>
    /// Browser origins allowed to call: the <c>Origin</c> header of a WebSocket upgrade or a POST must
    /// be one of these (<c>https://app.example.com</c>: scheme, host and port if not the default, no
    /// path), or the request gets 403 before anything runs. Requests without an <c>Origin</c>
    /// (non-browser clients) are not affected. For a browser to read a cross-origin POST's answer,
    /// also allow it with ASP.NET Core CORS (<c>MapActorRpc(...).RequireCors(...)</c>). Empty allows
    /// any origin. <b>Default:</b> empty.
    /// </summary>
    public IList<string> AllowedOrigins { get; } = [];

    /// <summary>
    /// WebSocket subprotocols the server accepts when a client asks for one (browsers fail the
    /// handshake if a requested subprotocol is not answered). The first one the client offers that
    /// is in this list is selected; clients that ask for none are accepted too. A configured list
    /// replaces the default one. <b>Default:</b> <see cref="DefaultSubProtocols"/>
    /// (<c>jsonrpc-2.0</c>, <c>jsonrpc</c>, <c>json-rpc</c>), used while this list is empty.
    /// </summary>
    public IList<string> SubProtocols { get; } = [];

    /// <summary>The subprotocols accepted when <see cref="SubProtocols"/> is left empty.</summary>
    public static IReadOnlyList<string> DefaultSubProtocols { get; } = ["jsonrpc-2.0", "jsonrpc", "json-rpc"];

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
    /// How long one WebSocket message may take to arrive, from its first frame to its last. Past it
    /// the connection is closed with 1008 (Policy Violation) and its partial message let go, so a
    /// client that starts a message and stalls cannot hold a receive buffer until
    /// <see cref="IdleTimeout"/>. A POST body gets the same deadline (past it: 408), since Kestrel's
    /// minimum body rate is an average a body sent fast and then stalled keeps up. Checked by the idle sweep, not by a timer per connection, so it
    /// fires up to a quarter of itself late. <see cref="Timeout.InfiniteTimeSpan"/> turns it off.
    /// <b>Default:</b> 30 s.
    /// </summary>
    public TimeSpan MessageTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// The most connections one node holds: open WebSockets and HTTP POSTs in progress (a POST counts
    /// until every handler it started has finished). A further upgrade request or POST is refused
    /// with 503 (and <c>Retry-After</c>) before the handshake or the call, so the client can try
    /// another node. Also Kestrel's <c>Limits.MaxConcurrentUpgradedConnections</c>, unless the
    /// application set that itself. <b>Default:</b> 20,000.
    /// </summary>
    [Range(1, 10_000_000)]
    public int MaxConnections { get; set; } = 20_000;

    /// <summary>
    /// The slowest a client may send a request body (a POST), in bytes per
    /// second, after a 5 s grace period; a slower body is cut off by Kestrel (408), so a client that
    /// trickles a body cannot hold a connection and its buffer for long. Set as Kestrel's
    /// <c>Limits.MinRequestBodyDataRate</c> unless the application changed that from Kestrel's own
    /// default (also 240 bytes/s, 5 s grace). 0 turns the limit off. <b>Default:</b> 240.
    /// </summary>
    [Range(0d, 1_000_000_000d)]
    public double MinRequestBodyDataRate { get; set; } = 240;

    /// <summary>What a binary WebSocket message gets. <b>Default:</b> <see cref="BinaryMessageHandling.Close"/>.</summary>
    public BinaryMessageHandling BinaryMessages { get; set; } = BinaryMessageHandling.Close;

    IEnumerable<ValidationResult> IValidatableObject.Validate(ValidationContext validationContext)
    {
        // Each of these is handed to a runtime API that throws (or silently does nothing) on a bad value,
        // long after start-up; refuse them here instead.
        if (KeepAliveInterval < TimeSpan.Zero && KeepAliveInterval != Timeout.InfiniteTimeSpan)
        {
            yield return new ValidationResult($"KeepAliveInterval must be zero or positive (it is {KeepAliveInterval}).", [nameof(KeepAliveInterval)]);
        }

        if (KeepAliveTimeout <= TimeSpan.Zero && KeepAliveTimeout != Timeout.InfiniteTimeSpan)
        {
            yield return new ValidationResult($"KeepAliveTimeout must be positive, or {Timeout.InfiniteTimeSpan} for none (it is {KeepAliveTimeout}).", [nameof(KeepAliveTimeout)]);
        }

        if (CloseTimeout <= TimeSpan.Zero || CloseTimeout > TimeSpan.FromMinutes(10))
        {
            yield return new ValidationResult($"CloseTimeout must be positive and at most 10 minutes (it is {CloseTimeout}).", [nameof(CloseTimeout)]);
        }

        if (IdleTimeout <= TimeSpan.Zero && IdleTimeout != Timeout.InfiniteTimeSpan)
        {
            yield return new ValidationResult($"IdleTimeout must be positive, or {Timeout.InfiniteTimeSpan} for none (it is {IdleTimeout}).", [nameof(IdleTimeout)]);
        }

        if (MessageTimeout <= TimeSpan.Zero && MessageTimeout != Timeout.InfiniteTimeSpan)
        {
            yield return new ValidationResult($"MessageTimeout must be positive, or {Timeout.InfiniteTimeSpan} for none (it is {MessageTimeout}).", [nameof(MessageTimeout)]);
        }

        if (!Enum.IsDefined(BinaryMessages))
        {
            yield return new ValidationResult($"BinaryMessages must be one of {string.Join(", ", Enum.GetNames<BinaryMessageHandling>())}.", [nameof(BinaryMessages)]);
        }

        foreach (var origin in AllowedOrigins)
        {
            // Browsers send scheme://host[:port], nothing more; anything else could never match.
            if (!Uri.TryCreate(origin, UriKind.Absolute, out var uri) || uri.GetLeftPart(UriPartial.Authority) != origin.TrimEnd('/') || origin.EndsWith('/'))
            {
                yield return new ValidationResult($"AllowedOrigins entry '{origin}' must be an origin such as https://app.example.com (scheme, host, port if not the default; no path).", [nameof(AllowedOrigins)]);
            }
        }
    }
}

/// <summary>What to do with a binary WebSocket message (JSON-RPC is text).</summary>
public enum BinaryMessageHandling
{
    /// <summary>Close the connection with 1003 (Unsupported Data).</summary>
    Close,

    /// <summary>Read its bytes as UTF-8 JSON, like a text message (for clients that only send binary).</summary>
    TreatAsText,
}
