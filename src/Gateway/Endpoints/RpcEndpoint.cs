using System.Diagnostics;
using Akka.Actor;
using Akka.Hosting;
using ActorRpc.Actors;
using ActorRpc.Actors.ClientCalls;
using ActorRpc.Actors.Routing;
using ActorRpc.Actors.Sessions;
using ActorRpc.Gateway.Authentication;
using ActorRpc.Gateway.Hosting;
using ActorRpc.Gateway.Logging;
using ActorRpc.Gateway.Transport;
using ActorRpc.Methods.Errors;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;

namespace ActorRpc.Gateway.Endpoints;

/// <summary>
/// JSON-RPC over WebSocket (a GET upgrade) and over HTTP (a POST) on every path <c>MapActorRpc</c>
/// maps: each WebSocket gets a session actor for its life, each POST one for its exchange.
/// One instance per mapped path, its dependencies resolved once.
/// </summary>
internal sealed class RpcEndpoint(
    IRequiredActor<SessionManager> sessions,
    MethodDirectory directory,
    ConnectionRegistry connections,
    NodeHandlers handlers,
    NodeReadiness readiness,
    IOptions<RpcLimitsOptions> limits,
    IOptions<RpcEndpointOptions> options,
    ILoggerFactory loggerFactory,
    NodeBufferBudget nodeBuffers,
    SessionIds sessionIds)
{
    private static readonly TimeSpan SessionStartTimeout = TimeSpan.FromSeconds(10);

    private readonly ILogger _logger = loggerFactory.CreateLogger("ActorRpc.Gateway.Endpoint");

    public Task HandleAsync(HttpContext context) =>
        HttpMethods.IsPost(context.Request.Method) ? HandlePostAsync(context) : AcceptWebSocketAsync(context);

    private async Task AcceptWebSocketAsync(HttpContext context)
    {
        if (!context.WebSockets.IsWebSocketRequest)
        {
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            await context.Response.WriteAsync("Expected a WebSocket upgrade (or POST a JSON-RPC request).", context.RequestAborted).ConfigureAwait(false);
            return;
        }

        var endpoint = options.Value;
        if (!IsAllowedOrigin(context, endpoint))
        {
            // A browser page from another site must not open a socket in its visitor's name.
            GatewayLog.OriginRefused(_logger, ClientText.Bound(context.Request.Headers.Origin.ToString()));
            context.Response.StatusCode = StatusCodes.Status403Forbidden;
            return;
        }

        if (!readiness.IsAcceptingConnections)
        {
            // Closing sockets has begun or is about to: a socket accepted now would be closed at once.
            GatewayLog.RefusedShuttingDown(_logger, RemoteAddress(context));
            await RefuseAsync(context, ShuttingDownMessage).ConfigureAwait(false);
            return;
        }

        if (await ConnectionIdentity.ReadAsync(context).ConfigureAwait(false) is not { } identity)
        {
            GatewayLog.CredentialsRefused(_logger, RemoteAddress(context));
            return; // 401: the scheme's challenge is written.
        }

        if (!connections.TryReserve(endpoint.MaxConnections))
        {
            GatewayLog.ConnectionRefused(_logger, endpoint.MaxConnections);
            await RefuseAsync(context, MaxConnectionsMessage(endpoint)).ConfigureAwait(false);
            return;
        }

        try
        {
            await ServeWebSocketAsync(context, endpoint, identity).ConfigureAwait(false);
        }
        finally
        {
            connections.Unreserve();
        }
    }

    private async Task ServeWebSocketAsync(HttpContext context, RpcEndpointOptions endpoint, SessionIdentity identity)
    {
        await directory.WhenReady.WaitAsync(context.RequestAborted).ConfigureAwait(false);
        using var socket = await context.WebSockets.AcceptWebSocketAsync(new WebSocketAcceptContext
        {
            KeepAliveInterval = endpoint.KeepAliveInterval,
            KeepAliveTimeout = endpoint.KeepAliveTimeout,
            SubProtocol = context.WebSockets.WebSocketRequestedProtocols.FirstOrDefault(endpoint.SubProtocols.Contains),
        }).ConfigureAwait(false);

        var info = new SessionInfo(sessionIds.NewId(), RemoteAddress(context), SessionInfo.WebSocketTransport, SingleExchange: false) { Identity = identity };
        var connection = new WebSocketConnection(socket, info.SessionId, limits.Value, endpoint, _logger, nodeBuffers, context.Features.Get<WebSocketFrameScanner>());
        var started = await StartSessionAsync(info, connection, context.RequestAborted).ConfigureAwait(false);
        connections.Add(connection);
        GatewayLog.SessionOpened(_logger, info.SessionId, info.RemoteAddress);
        try
        {
            await connection.RunAsync(started.Session).ConfigureAwait(false);
        }
        finally
        {
            connections.Remove(connection);
            GatewayLog.SessionEnded(_logger, info.SessionId);
        }
    }

    private async Task HandlePostAsync(HttpContext context)
    {
        var endpoint = options.Value;
        if (!IsAllowedOrigin(context, endpoint))
        {
            // CORS only hides the answer from the page; the call would still run. A page from another
            // site must not make calls in its visitor's name (with the visitor's cookies).
            GatewayLog.OriginRefused(_logger, ClientText.Bound(context.Request.Headers.Origin.ToString()));
            context.Response.StatusCode = StatusCodes.Status403Forbidden;
            return;
        }

        if (!readiness.IsAcceptingConnections)
        {
            // The node is stopping: its exchange's handlers could be cut short, and a balancer should move on.
            GatewayLog.RefusedShuttingDown(_logger, RemoteAddress(context));
            await RefuseAsync(context, ShuttingDownMessage).ConfigureAwait(false);
            return;
        }

        if (!JsonContentType.IsAccepted(context.Request.ContentType))
        {
            // Without this a page on any site could POST text/plain, which browsers send without a preflight.
            GatewayLog.PostRefusedContentType(_logger, ClientText.Bound(context.Request.ContentType ?? "(none)"));
            context.Response.StatusCode = StatusCodes.Status415UnsupportedMediaType;
            await context.Response.WriteAsync(JsonContentType.RefusalMessage, context.RequestAborted).ConfigureAwait(false);
            return;
        }

        if (await ConnectionIdentity.ReadAsync(context).ConfigureAwait(false) is not { } identity)
        {
            GatewayLog.CredentialsRefused(_logger, RemoteAddress(context));
            return; // 401: the scheme's challenge is written.
        }

        if (handlers.IsFull)
        {
            // Refused before the body is read or anything runs; its calls would each get -32000 anyway.
            GatewayLog.PostRefusedServerBusy(_logger, handlers.Limit);
            await RefuseAsync(
                context, $"This node runs its maximum of {handlers.Limit} handlers (ActorRpc:Limits:MaxNodeHandlers).").ConfigureAwait(false);
            return;
        }

        if (!connections.TryReserve(endpoint.MaxConnections))
        {
            GatewayLog.PostRefusedConnections(_logger, endpoint.MaxConnections);
            await RefuseAsync(context, MaxConnectionsMessage(endpoint)).ConfigureAwait(false);
            return;
        }

        try
        {
            await ServePostAsync(context, identity).ConfigureAwait(false);
        }
        finally
        {
            // Only now: the exchange counted as a connection until every handler it started finished.
            connections.Unreserve();
        }
    }

    private async Task ServePostAsync(HttpContext context, SessionIdentity identity)
    {
        var maxMessageSize = limits.Value.MaxMessageSize;
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } bodySize
            && bodySize.MaxRequestBodySize < maxMessageSize + 1L)
        {
            // Our own limit decides; Kestrel's (30 MB by default) must not cut in first when ours is larger.
            bodySize.MaxRequestBodySize = maxMessageSize + 1L;
        }

        // Kestrel's MinRequestBodyDataRate is an average over the whole body: a client that sends most
        // of a large body at once and then stalls would hold its buffer for an hour. A body gets the
        // WebSocket message's deadline instead.
        var messageTimeout = options.Value.MessageTimeout;
        using var bodyDeadline = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted);
        if (messageTimeout != Timeout.InfiniteTimeSpan)
        {
            bodyDeadline.CancelAfter(messageTimeout);
        }

        byte[]? body;
        try
        {
            body = await RequestBodyReader.ReadAsync(context.Request.Body, context.Request.ContentLength, maxMessageSize, bodyDeadline.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!context.RequestAborted.IsCancellationRequested)
        {
            GatewayLog.PostBodyTimedOut(_logger, RemoteAddress(context), messageTimeout);
            context.Response.StatusCode = StatusCodes.Status408RequestTimeout;
            context.Response.Headers.Connection = "close";
            return;
        }

        if (body is null)
        {
            context.Response.StatusCode = StatusCodes.Status413PayloadTooLarge;
            return;
        }

        await directory.WhenReady.WaitAsync(context.RequestAborted).ConfigureAwait(false);
        var exchange = new HttpExchange();
        var info = new SessionInfo(sessionIds.NewId(), RemoteAddress(context), SessionInfo.HttpTransport, SingleExchange: true) { Identity = identity };
        var started = await StartSessionAsync(info, exchange, context.RequestAborted).ConfigureAwait(false);
        // The request's spans continue the HTTP request's trace, when it is traced.
        started.Session.Tell(new SessionProtocol.InboundMessage(body, Activity.Current?.Context ?? default));

        // A client that gives up before its answer cancels the calls it started, as a closed socket does.
        using var abandon = context.RequestAborted.Register(() => started.Session.Tell(SessionProtocol.ConnectionClosed.Instance));
        var result = await exchange.Result.WaitAsync(context.RequestAborted).ConfigureAwait(false);
        if (!result.Failed)
        {
            await WhenHandlersFinishedAsync(info, started.Session, context.RequestAborted).ConfigureAwait(false);
        }

        if (result.Failed)
        {
            context.Response.StatusCode = StatusCodes.Status500InternalServerError;
        }
        else if (result.Body is not { } frame)
        {
            context.Response.StatusCode = StatusCodes.Status204NoContent;
        }
        else
        {
            context.Response.StatusCode = StatusCodes.Status200OK;
            context.Response.ContentType = "application/json";
            context.Response.ContentLength = frame.Length;
            try
            {
                await context.Response.Body.WriteAsync(frame.Memory, context.RequestAborted).ConfigureAwait(false);
            }
            finally
            {
                // Written (or the client gone): a batch's pooled buffer goes back only now.
                frame.Return();
            }
        }
    }

    /// <summary>
    /// Waits for the exchange's session to end, which it does once every handler it started has
    /// finished or been given up at HandlerTimeout: so a 204 for notifications means they ran, and
    /// the exchange's connection and handlers stay counted while they run. Bounded by HandlerTimeout
    /// (plus a second for the session's periodic deadline check).
    /// </summary>
    private async Task WhenHandlersFinishedAsync(SessionInfo info, IActorRef session, CancellationToken requestAborted)
    {
        var timeout = limits.Value.HandlerTimeout;
        var wait = timeout == Timeout.InfiniteTimeSpan ? Timeout.InfiniteTimeSpan : timeout + TimeSpan.FromSeconds(1);
        using var bounded = CancellationTokenSource.CreateLinkedTokenSource(requestAborted);
        bounded.CancelAfter(wait);
        bool ended;
        try
        {
            ended = await session.WatchAsync(bounded.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            ended = false;
        }

        if (!ended && !requestAborted.IsCancellationRequested)
        {
            // Never expected (the session gives every call up at HandlerTimeout); answer rather than hang.
            GatewayLog.ExchangeOutlivedWait(_logger, info.SessionId, wait);
        }
    }

    private const string ShuttingDownMessage = "This node is shutting down; connect to another.";

    private static string MaxConnectionsMessage(RpcEndpointOptions endpoint) =>
        $"This node holds its maximum of {endpoint.MaxConnections} connections (ActorRpc:Endpoint:MaxConnections).";

    /// <summary>Every 503 of this endpoint: a client (or balancer) may try again in a second, here or elsewhere.</summary>
    private static async Task RefuseAsync(HttpContext context, string message)
    {
        context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
        context.Response.Headers.RetryAfter = "1";
        await context.Response.WriteAsync(message, context.RequestAborted).ConfigureAwait(false);
    }

    // The ask is not cancelled with the request: a session the manager started after a client went
    // away would never hear of it and live on. The caller tells a started session when its client leaves.
    private async Task<SessionProtocol.SessionStarted> StartSessionAsync(SessionInfo info, ISessionTransport transport, CancellationToken cancellationToken)
    {
        var manager = await sessions.GetAsync(cancellationToken).ConfigureAwait(false);
        return await manager.Ask<SessionProtocol.SessionStarted>(
            new SessionProtocol.StartSession(info, transport),
            SessionStartTimeout,
            CancellationToken.None).ConfigureAwait(false);
    }

    private static bool IsAllowedOrigin(HttpContext context, RpcEndpointOptions endpoint)
    {
        if (endpoint.AllowedOrigins.Count == 0 || !context.Request.Headers.TryGetValue("Origin", out var origin))
        {
            return true;
        }

        var value = origin.ToString();
        return endpoint.AllowedOrigins.Any(allowed => string.Equals(allowed, value, StringComparison.OrdinalIgnoreCase));
    }

    private static string? RemoteAddress(HttpContext context) =>
        context.Connection.RemoteIpAddress is { } ip ? $"{ip}:{context.Connection.RemotePort}" : null;
}
