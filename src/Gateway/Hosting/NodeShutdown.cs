using System.Net.WebSockets;
using ActorRpc.Actors;
using ActorRpc.Gateway.Logging;
using ActorRpc.Gateway.Transport;

namespace ActorRpc.Gateway.Hosting;

/// <summary>
/// The node's first step out, whichever side starts it (the host stopping, or the actor system's
/// coordinated shutdown: a cluster leave, a downing, SIGTERM): readiness goes first, so <c>/ready</c>
/// fails before any client is told to reconnect (and perhaps picks this node again); then every
/// WebSocket is closed with 1001 Going Away. Only the first call acts.
/// </summary>
internal sealed class NodeShutdown : INodeShutdownParticipant, IHostedService
{
    private readonly NodeReadiness _readiness;
    private readonly ConnectionRegistry _connections;
    private readonly ILogger _logger;

    private readonly IHostApplicationLifetime _lifetime;

    public NodeShutdown(NodeReadiness readiness, ConnectionRegistry connections, ILoggerFactory loggerFactory, IHostApplicationLifetime lifetime)
    {
        _readiness = readiness;
        _connections = connections;
        _lifetime = lifetime;
        _logger = loggerFactory.CreateLogger("ActorRpc.Gateway");
    }

    public Task StartAsync(CancellationToken cancellationToken)
    {
        // Sockets are closed with 1001 before the server drains requests; otherwise every open
        // WebSocket would hold shutdown for the whole host shutdown timeout.
        _lifetime.ApplicationStopping.Register(() => BeginShutdown("the host is stopping"));
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public void BeginShutdown(string reason)
    {
        if (!_readiness.StopAccepting(reason))
        {
            return;
        }

        GatewayLog.NotReady(_logger, reason);
        GatewayLog.ClosingAll(_logger, _connections.Count);
        _connections.CloseAll(WebSocketCloseStatus.EndpointUnavailable, "Server shutting down");
    }
}
