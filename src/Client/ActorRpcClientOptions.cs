using System.Net.WebSockets;
using System.Text.Json;
using Microsoft.Extensions.Logging;

namespace ActorRpc.Client;

/// <summary>How an <see cref="ActorRpcClient"/> connects, serializes, times out and reconnects.</summary>
public sealed class ActorRpcClientOptions
{
    /// <summary>The default of <see cref="DefaultTimeout"/>: 30 seconds.</summary>
    public static readonly TimeSpan DefaultCallTimeout = TimeSpan.FromSeconds(30);

    /// <summary>The default of <see cref="MaxMessageSize"/>: 16 MiB, the server's default largest response.</summary>
    public const int DefaultMaxMessageSize = 16 * 1024 * 1024;

    /// <summary>The default of <see cref="SubscriptionBufferSize"/>: 1,000 notifications per subscription.</summary>
    public const int DefaultSubscriptionBufferSize = 1000;

    /// <summary>The default of <see cref="MaxConcurrentServerCalls"/>: 64.</summary>
    public const int DefaultMaxConcurrentServerCalls = 64;

    /// <summary>
    /// The bearer token, sent as <c>Authorization: Bearer</c> on the WebSocket upgrade or on each
    /// HTTP POST; null (or a null result) sends none. It is asked again before each reconnect
    /// attempt, so a refreshed token is used. <see cref="AccessTokenProvider"/> wins when both are set.
    /// </summary>
    public Func<string?>? AccessToken { get; set; }

    /// <summary>As <see cref="AccessToken"/>, for a token that is fetched asynchronously.</summary>
    public Func<CancellationToken, ValueTask<string?>>? AccessTokenProvider { get; set; }

    /// <summary>
    /// How params are written and results and notifications read.
    /// <value>The default is <see cref="JsonSerializerDefaults.Web"/> (camelCase, case-insensitive reads).</value>
    /// A source-generated context's options work too (set its <c>TypeInfoResolver</c>).
    /// </summary>
    public JsonSerializerOptions SerializerOptions { get; set; } = new(JsonSerializerDefaults.Web);

    /// <summary>
    /// How long a call waits for its answer when it names no timeout of its own; then it fails with
    /// <see cref="TimeoutException"/> and <c>$/cancelRequest</c> is sent for it.
    /// <value>The default is 30 seconds; <see cref="Timeout.InfiniteTimeSpan"/> turns it off.</value>
    /// </summary>
    public TimeSpan DefaultTimeout { get; set; } = DefaultCallTimeout;

    /// <summary>Reconnecting after the connection drops (WebSocket only).</summary>
    public RpcReconnectOptions Reconnect { get; } = new();

    /// <summary>
    /// How typed proxies (<see cref="ActorRpcClient.Attach{T}"/>) turn a member name (without
    /// <c>Async</c>) into a method or topic name. <value>The default is
    /// <see cref="JsonNamingPolicy.SnakeCaseLower"/>, as the server names its methods; null keeps the name.</value>
    /// </summary>
    public JsonNamingPolicy? MethodNaming { get; set; } = JsonNamingPolicy.SnakeCaseLower;

    /// <summary>What joins a proxy's prefix to its member names. <value>The default is <c>"."</c>, as the server joins them.</value></summary>
    public string PrefixSeparator { get; set; } = ".";

    /// <summary>
    /// The largest message read from the server, in bytes; a larger one closes the connection with
    /// 1009 (and a reconnect follows when it is on). <value>The default is 16 MiB.</value>
    /// </summary>
    public int MaxMessageSize { get; set; } = DefaultMaxMessageSize;

    /// <summary>
    /// How many notifications each subscription holds for a consumer that reads slower than they
    /// come. Past it the oldest is dropped (and logged at Warning), so a slow reader never holds up
    /// the connection nor other subscriptions. <value>The default is 1,000.</value>
    /// </summary>
    public int SubscriptionBufferSize { get; set; } = DefaultSubscriptionBufferSize;

    /// <summary>
    /// How many of the server's calls and notifications to client-side methods may run at once.
    /// Past it a call is answered at once with -32001 "Too many calls from the server in progress"
    /// and a notification is dropped (both logged at Warning); the read loop never waits for a
    /// handler. <value>The default is 64.</value>
    /// </summary>
    public int MaxConcurrentServerCalls { get; set; } = DefaultMaxConcurrentServerCalls;

    /// <summary>Where the client logs (dropped connections, malformed frames, overflow); null logs nothing.</summary>
    public ILoggerFactory? LoggerFactory { get; set; }

    /// <summary>
    /// Adjusts each WebSocket before it connects (headers, proxy, certificates, keep-alive). The client
    /// sets <c>KeepAliveInterval</c> to 15 s before calling it; set <c>KeepAliveTimeout</c> here to
    /// detect a dead server (off by default: a busy server may not answer pings in time).
    /// </summary>
    public Action<ClientWebSocketOptions>? ConfigureWebSocket { get; set; }

    /// <summary>The handler of the <see cref="HttpClient"/> an <c>http(s)://</c> client posts with; null uses a default one. The client disposes it.</summary>
    public Func<HttpMessageHandler>? HttpMessageHandlerFactory { get; set; }

    /// <summary>The clock of timeouts and reconnect delays. <value>The default is <see cref="TimeProvider.System"/>.</value></summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    /// <summary>Checks the options, naming the first bad one.</summary>
    internal void Validate()
    {
        ArgumentNullException.ThrowIfNull(SerializerOptions, nameof(SerializerOptions));
        ArgumentNullException.ThrowIfNull(PrefixSeparator, nameof(PrefixSeparator));
        ArgumentNullException.ThrowIfNull(TimeProvider, nameof(TimeProvider));
        RequireTimeout(DefaultTimeout, nameof(DefaultTimeout));
        if (MaxMessageSize <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxMessageSize), MaxMessageSize, "ActorRpcClientOptions.MaxMessageSize must be positive.");
        }

        if (SubscriptionBufferSize <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(SubscriptionBufferSize), SubscriptionBufferSize, "ActorRpcClientOptions.SubscriptionBufferSize must be positive.");
        }

        if (MaxConcurrentServerCalls < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxConcurrentServerCalls), MaxConcurrentServerCalls, "ActorRpcClientOptions.MaxConcurrentServerCalls must be at least 1.");
        }

        Reconnect.Validate();
    }

    /// <summary>Throws unless <paramref name="timeout"/> is positive or infinite.</summary>
    internal static void RequireTimeout(TimeSpan timeout, string name)
    {
        if (timeout <= TimeSpan.Zero && timeout != Timeout.InfiniteTimeSpan)
        {
            throw new ArgumentOutOfRangeException(name, timeout, $"{name} must be positive or Timeout.InfiniteTimeSpan.");
        }
    }
}
