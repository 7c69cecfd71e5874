using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace ActorRpc.Client;

/// <summary>
/// A client of an ActorRpc server: JSON-RPC 2.0 calls, notifications and batches; topic
/// subscriptions; methods the server may call; typed proxies. Over <c>ws(s)://</c> it keeps one
/// WebSocket and reconnects when it drops; over <c>http(s)://</c> it is calls-only, one POST per message.
/// </summary>
/// <remarks>
/// <para>Calls are thread-safe and may run concurrently; each gets a numeric id. A call fails with
/// <see cref="RpcCallException"/> when the server answers with an error, with
/// <see cref="TimeoutException"/> after its timeout, with <see cref="OperationCanceledException"/>
/// when its token is cancelled (both send <c>$/cancelRequest</c> for it), and with
/// <see cref="RpcConnectionLostException"/> at once when its connection drops before the answer.</para>
/// <para>While reconnecting, new calls wait for the new connection, up to their own timeout or token
/// (they do not fail fast: a short blip costs a delay, not an error).</para>
/// <para>Over HTTP each message is one POST: cancelling or timing out aborts the POST (a
/// <c>$/cancelRequest</c> would reach another exchange), and an answer other than 200 or 204
/// throws <see cref="HttpRequestException"/> with its status (401, 413, 415...).</para>
/// </remarks>
public sealed partial class ActorRpcClient : IAsyncDisposable
{
    private readonly ActorRpcClientOptions _options;
    private readonly ILogger _logger;
    private readonly ConnectionSupervisor _supervisor;
    private readonly SubscriptionRegistry _subscriptions = new();
    private readonly ClientMethods _methods;
    private readonly bool _duplex;
    private long _nextId;
    private int _disposed;

    private ActorRpcClient(Uri uri, ActorRpcClientOptions options)
    {
        Uri = uri;
        _options = options;
        _logger = options.LoggerFactory?.CreateLogger("ActorRpc.Client") ?? NullLogger.Instance;
        _methods = new ClientMethods(options.SerializerOptions, options.MaxConcurrentServerCalls, _logger);
        _duplex = uri.Scheme is "ws" or "wss";
        _supervisor = new ConnectionSupervisor(
            ConnectOnceAsync,
            RestoreSubscriptionsAsync,
            _duplex ? options.Reconnect : new RpcReconnectOptions { Enabled = false },
            options.TimeProvider,
            _logger);
        _supervisor.Reconnecting += args => Reconnecting?.Invoke(this, args);
        _supervisor.Reconnected += args => Reconnected?.Invoke(this, args);
        _supervisor.Closed += OnClosed;
    }

    /// <summary>Raised when the WebSocket dropped and the client starts reconnecting.</summary>
    public event EventHandler<RpcReconnectingEventArgs>? Reconnecting;

    /// <summary>Raised when the client is connected again and every live subscription was made again.</summary>
    public event EventHandler<RpcReconnectedEventArgs>? Reconnected;

    /// <summary>Raised once when the client closes for good: disposed, reconnect off, or reconnect gave up.</summary>
    public event EventHandler<RpcClosedEventArgs>? Closed;

    /// <summary>The server's address the client was connected to.</summary>
    public Uri Uri { get; }

    /// <summary>Where the connection stands.</summary>
    public RpcConnectionState State => _supervisor.State;

    /// <summary>
    /// Connects to <paramref name="uri"/>: <c>ws://</c> or <c>wss://</c> opens a WebSocket;
    /// <c>http://</c> or <c>https://</c> gives a calls-only client over POST (subscriptions and
    /// client-side methods need a WebSocket). The first WebSocket connection is not retried: a wrong
    /// address or a refused token fails here (an HTTP client sends nothing before its first call).
    /// </summary>
    /// <param name="uri">The server's JSON-RPC endpoint, such as <c>ws://127.0.0.1:5000/rpc</c>.</param>
    /// <param name="configure">Sets the options (token, timeouts, reconnect, serializer...).</param>
    /// <param name="cancellationToken">Cancels connecting.</param>
    /// <returns>The connected client; dispose it to close the connection.</returns>
    public static async Task<ActorRpcClient> ConnectAsync(Uri uri, Action<ActorRpcClientOptions>? configure = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(uri);
        if (uri.Scheme is not ("ws" or "wss" or "http" or "https"))
        {
            throw new ArgumentException($"The URI scheme must be ws, wss, http or https, not '{uri.Scheme}'.", nameof(uri));
        }

        var options = new ActorRpcClientOptions();
        configure?.Invoke(options);
        options.Validate();
        var client = new ActorRpcClient(uri, options);
        await client._supervisor.StartAsync(cancellationToken).ConfigureAwait(false);
        return client;
    }

    /// <summary>
    /// Closes the connection normally (WebSocket close 1000), stops reconnecting, fails calls still
    /// waiting with <see cref="RpcConnectionLostException"/>, and ends every subscription's enumeration.
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await _supervisor.DisposeAsync().ConfigureAwait(false);
        _subscriptions.CompleteAll(null);
    }

    private async Task<RpcConnection> ConnectOnceAsync(CancellationToken cancellationToken) =>
        _duplex
            ? await WebSocketConnection.ConnectAsync(Uri, _options, this, _logger, cancellationToken).ConfigureAwait(false)
            : new HttpConnection(Uri, _options, this, _logger);

    private void OnClosed(RpcClosedEventArgs args)
    {
        if (Volatile.Read(ref _disposed) == 0)
        {
            // Closed for good without a dispose (reconnect gave up): readers learn why.
            _subscriptions.CompleteAll(new RpcConnectionLostException(args.Reason, args.Exception));
        }

        Closed?.Invoke(this, args);
    }

    private void ThrowIfDisposed() => ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);

    private void RequireWebSocket(string what)
    {
        if (!_duplex)
        {
            throw new NotSupportedException($"{what} need a WebSocket: connect with a ws:// or wss:// URI.");
        }
    }

    private long NextId() => Interlocked.Increment(ref _nextId);
}
