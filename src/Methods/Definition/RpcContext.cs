using System.Security.Claims;

namespace ActorRpc;

/// <summary>
/// What a handler may know about the call it serves. Declare a parameter of this type to get it;
/// it is never bound from the JSON params.
/// </summary>
public sealed class RpcContext
{
    private readonly ReadOnlyMemory<byte> _rawId;
    private string? _requestId;
    private ClaimsPrincipal? _user;
    private IRpcClient? _client;

    /// <summary>Creates the context of one call (for tests of handlers; the server builds its own).</summary>
    /// <param name="sessionId">The connection's id.</param>
    /// <param name="remoteAddress">The client's address, if known.</param>
    /// <param name="transport"><c>websocket</c> or <c>http</c>.</param>
    /// <param name="method">The method name.</param>
    /// <param name="requestId">The id as JSON text, or null for a notification.</param>
    /// <param name="services">The application's services.</param>
    public RpcContext(string sessionId, string? remoteAddress, string transport, string method, string? requestId, IServiceProvider services)
        : this(sessionId, remoteAddress, transport, method, requestId is null ? default : System.Text.Encoding.UTF8.GetBytes(requestId), services)
    {
        _requestId = requestId;
    }

    /// <summary>Creates the context of one call from the raw UTF-8 JSON of its id (empty for a notification), by <paramref name="user"/> (null: anonymous).</summary>
    internal RpcContext(
        string sessionId, string? remoteAddress, string transport, string method, ReadOnlyMemory<byte> rawId, IServiceProvider services, ClaimsPrincipal? user = null)
    {
        _user = user;
        SessionId = sessionId;
        RemoteAddress = remoteAddress;
        Transport = transport;
        Method = method;
        _rawId = rawId;
        Services = services;
    }

    /// <summary>The id of the connection (WebSocket) or exchange (HTTP POST) the call came on.</summary>
    public string SessionId { get; }

    /// <summary>The client's IP address and port, when known.</summary>
    public string? RemoteAddress { get; }

    /// <summary><c>websocket</c> or <c>http</c>.</summary>
    public string Transport { get; }

    /// <summary>The method name as the client sent it.</summary>
    public string Method { get; }

    /// <summary>The request id as JSON text (e.g. <c>"abc"</c> with quotes, or <c>42</c>); null for a notification.</summary>
    public string? RequestId => _rawId.IsEmpty ? null : _requestId ??= System.Text.Encoding.UTF8.GetString(_rawId.Span);

    /// <summary>Whether the client expects no response.</summary>
    public bool IsNotification => _rawId.IsEmpty;

    /// <summary>The application's services.</summary>
    public IServiceProvider Services { get; }

    /// <summary>
    /// The client of the connection the call came on, to call its methods or notify it while (or
    /// after) the handler runs; see <see cref="IRpcClient"/>. Never null: over HTTP POST, where the
    /// server can send nothing but the answer, its calls throw <see cref="NotSupportedException"/>.
    /// Works on whichever node the handler runs (a method of another role calls back through the
    /// node that holds the socket). Tests of handlers may set their own.
    /// </summary>
    public IRpcClient Client
    {
        // Made when first read: most handlers never call their client, and every call has a context.
        get => _client ??= Transport != Methods.Definition.RpcTransports.WebSocket
            ? new UnavailableRpcClient(SessionId, UnavailableRpcClient.HttpReason)
            : Services.GetService(typeof(IRpcClients)) is IRpcClients clients
                ? clients.Get(SessionId)
                : new UnavailableRpcClient(SessionId, UnavailableRpcClient.NoServiceReason);
        init => _client = value;
    }

    /// <summary>This context as a call of <paramref name="method"/> would see it: how discovery asks each method's guard.</summary>
    internal RpcContext ForMethod(string method) =>
        new(SessionId, RemoteAddress, Transport, method, _rawId, Services, User) { _client = _client };

    /// <summary>
    /// Who called: the user ASP.NET Core authentication found when the connection opened (or that a
    /// later <c>authenticate</c> call set), on whichever node the handler runs. A caller without a
    /// user, or whose token's lifetime has ended, is an anonymous principal (no authenticated
    /// identity), never null.
    /// </summary>
    /// <remarks>
    /// Treat it as read-only: an authenticated connection's principal is the same instance for
    /// every call of that connection, so a handler that changed it (<c>AddIdentity</c>, or a claim
    /// added to one of its identities) would change who every later call of the connection is.
    /// </remarks>
    public ClaimsPrincipal User
    {
        // The anonymous principal is made when first read (most handlers never look, and every call
        // has a context), one per call rather than one shared by all, so that a handler that does
        // change it changes only its own call.
        get => _user ??= new ClaimsPrincipal(new ClaimsIdentity());
        init => _user = value;
    }
}
