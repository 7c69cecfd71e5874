using System.Buffers;
using System.Diagnostics;
using System.Net.WebSockets;
using Akka.Actor;
using Akka.Hosting;
using ActorRpc.Actors;
using ActorRpc.Actors.Configuration;
using ActorRpc.Actors.Routing;
using ActorRpc.Actors.Sessions;
using ActorRpc.Gateway.Configuration;
using ActorRpc.Gateway.Hosting;
using ActorRpc.Gateway.Logging;
using ActorRpc.Gateway.Transport;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;

namespace ActorRpc.Gateway.Endpoints;

/// <summary>Maps JSON-RPC over WebSocket (GET upgrade) and over HTTP (POST) on the same path.</summary>
internal static class RpcEndpoints
{
    public const string CorsPolicy = "ActorRpc";

    private static readonly TimeSpan SessionStartTimeout = TimeSpan.FromSeconds(10);

    public static IEndpointRouteBuilder MapRpcEndpoints(this IEndpointRouteBuilder endpoints)
    {
        var path = endpoints.ServiceProvider.GetRequiredService<IOptions<RpcEndpointOptions>>().Value.Path;
        endpoints.MapGet(path, AcceptWebSocketAsync);
        endpoints.MapPost(path, HandlePostAsync).RequireCors(CorsPolicy);
        return endpoints;
    }

    private static async Task AcceptWebSocketAsync(
        HttpContext context,
        IRequiredActor<SessionManager> sessions,
        MethodDirectory directory,
        ConnectionRegistry connections,
        NodeReadiness readiness,
        IOptions<RpcLimitsOptions> limits,
        IOptions<RpcEndpointOptions> options,
        ILoggerFactory loggerFactory)
    {
        if (!context.WebSockets.IsWebSocketRequest)
        {
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            await context.Response.WriteAsync("Expected a WebSocket upgrade (or POST a JSON-RPC request).", context.RequestAborted).ConfigureAwait(false);
            return;
        }

        var logger = loggerFactory.CreateLogger("ActorRpc.Gateway.WebSocket");
        if (!readiness.IsAcceptingConnections)
        {
            // Closing sockets has begun or is about to: a socket accepted now would be closed at once.
            GatewayLog.RefusedShuttingDown(logger, RemoteAddress(context));
            context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
            return;
        }

        if (!connections.TryReserve(options.Value.MaxConnections))
        {
            GatewayLog.ConnectionRefused(logger, options.Value.MaxConnections);
            context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
            context.Response.Headers.RetryAfter = "1";
            await context.Response.WriteAsync(
                $"This node holds its maximum of {options.Value.MaxConnections} connections (ActorRpc:Endpoint:MaxConnections).",
                context.RequestAborted).ConfigureAwait(false);
            return;
        }

        try
        {
            await ServeWebSocketAsync(context, sessions, directory, connections, limits.Value, options.Value, logger).ConfigureAwait(false);
        }
        finally
        {
            connections.Unreserve();
        }
    }

    private static async Task ServeWebSocketAsync(
        HttpContext context,
        IRequiredActor<SessionManager> sessions,
        MethodDirectory directory,
        ConnectionRegistry connections,
        RpcLimitsOptions limits,
        RpcEndpointOptions options,
        ILogger logger)
    {
        await directory.WhenReady.WaitAsync(context.RequestAborted).ConfigureAwait(false);
        using var socket = await context.WebSockets.AcceptWebSocketAsync(new WebSocketAcceptContext
        {
            KeepAliveInterval = options.KeepAliveInterval,
            KeepAliveTimeout = options.KeepAliveTimeout,
            SubProtocol = context.WebSockets.WebSocketRequestedProtocols.FirstOrDefault(options.SubProtocols.Contains),
        }).ConfigureAwait(false);

        var info = new SessionInfo(NewSessionId(), RemoteAddress(context), SessionInfo.WebSocketTransport, SingleExchange: false);
        var connection = new WebSocketConnection(socket, info.SessionId, limits, options, logger);
        var started = await StartSessionAsync(sessions, info, connection, context.RequestAborted).ConfigureAwait(false);
        connections.Add(connection);
        GatewayLog.SessionOpened(logger, info.SessionId, info.RemoteAddress);
        try
        {
            await connection.RunAsync(started.Session).ConfigureAwait(false);
        }
        finally
        {
            connections.Remove(connection);
            GatewayLog.SessionEnded(logger, info.SessionId);
        }
    }

    private static async Task HandlePostAsync(
        HttpContext context,
        IRequiredActor<SessionManager> sessions,
        MethodDirectory directory,
        IOptions<RpcLimitsOptions> limits)
    {
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } bodySize
            && bodySize.MaxRequestBodySize < limits.Value.MaxMessageSize + 1L)
        {
            // Our own limit decides; Kestrel's (30 MB by default) must not cut in first when ours is larger.
            bodySize.MaxRequestBodySize = limits.Value.MaxMessageSize + 1L;
        }

        var body = await ReadBodyAsync(context.Request, limits.Value.MaxMessageSize, context.RequestAborted).ConfigureAwait(false);
        if (body is null)
        {
            context.Response.StatusCode = StatusCodes.Status413PayloadTooLarge;
            return;
        }

        await directory.WhenReady.WaitAsync(context.RequestAborted).ConfigureAwait(false);
        var exchange = new HttpExchange();
        var info = new SessionInfo(NewSessionId(), RemoteAddress(context), SessionInfo.HttpTransport, SingleExchange: true);
        var started = await StartSessionAsync(sessions, info, exchange, context.RequestAborted).ConfigureAwait(false);
        // The request's spans continue the HTTP request's trace, when it is traced.
        started.Session.Tell(new SessionProtocol.InboundMessage(body, Activity.Current?.Context ?? default));

        // A client that gives up before its answer cancels the calls it started, as a closed socket does.
        using var abandon = context.RequestAborted.Register(() => started.Session.Tell(SessionProtocol.ConnectionClosed.Instance));
        var result = await exchange.Result.WaitAsync(context.RequestAborted).ConfigureAwait(false);
        if (result.Failed)
        {
            context.Response.StatusCode = StatusCodes.Status500InternalServerError;
        }
        else if (result.Body is null)
        {
            context.Response.StatusCode = StatusCodes.Status204NoContent;
        }
        else
        {
            context.Response.StatusCode = StatusCodes.Status200OK;
            context.Response.ContentType = "application/json";
            context.Response.ContentLength = result.Body.Length;
            await context.Response.Body.WriteAsync(result.Body, context.RequestAborted).ConfigureAwait(false);
        }
    }

    private static async Task<SessionProtocol.SessionStarted> StartSessionAsync(
        IRequiredActor<SessionManager> sessions,
        SessionInfo info,
        ISessionTransport transport,
        CancellationToken cancellationToken)
    {
        var manager = await sessions.GetAsync(cancellationToken).ConfigureAwait(false);
        return await manager.Ask<SessionProtocol.SessionStarted>(
            new SessionProtocol.StartSession(info, transport),
            SessionStartTimeout,
            cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Reads the whole body, or returns null as soon as it exceeds <paramref name="limit"/>.</summary>
    private static async Task<byte[]?> ReadBodyAsync(HttpRequest request, int limit, CancellationToken cancellationToken)
    {
        if (request.ContentLength > limit)
        {
            return null;
        }

        var buffer = new ArrayBufferWriter<byte>((int)Math.Min(request.ContentLength ?? 4096, limit) + 1);
        while (true)
        {
            var memory = buffer.GetMemory(4096);
            var read = await request.Body.ReadAsync(memory, cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                return buffer.WrittenSpan.ToArray();
            }

            buffer.Advance(read);
            if (buffer.WrittenCount > limit)
            {
                return null;
            }
        }
    }

    private static string NewSessionId() => Guid.NewGuid().ToString("N");

    private static string? RemoteAddress(HttpContext context) =>
        context.Connection.RemoteIpAddress is { } ip ? $"{ip}:{context.Connection.RemotePort}" : null;
}
