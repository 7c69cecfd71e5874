using System.Net.WebSockets;
using ActorRpc.Gateway.Logging;
using Microsoft.Extensions.Options;

namespace ActorRpc.Gateway.Transport;

/// <summary>
/// Closes WebSockets that have been idle for IdleTimeout. One sweep over the node's connections
/// every quarter of the timeout, rather than a timer per connection: with tens of thousands of
/// connections, timers would cost more than the occasional pass over a dictionary.
/// </summary>
internal sealed class IdleConnectionSweeper(ConnectionRegistry connections, IOptions<RpcEndpointOptions> options, ILoggerFactory loggerFactory) : BackgroundService
{
    private readonly ILogger _logger = loggerFactory.CreateLogger("ActorRpc.Gateway.WebSocket");

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var idleTimeout = options.Value.IdleTimeout;
        if (idleTimeout == Timeout.InfiniteTimeSpan || idleTimeout <= TimeSpan.Zero)
        {
            return;
        }

        var idleMs = (long)idleTimeout.TotalMilliseconds;
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(Math.Clamp(idleMs / 4, 50, 30_000)));
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                var now = Environment.TickCount64;
                foreach (var connection in connections.Connections)
                {
                    if (!connection.IsClosing && now - connection.LastActivity >= idleMs)
                    {
                        GatewayLog.IdleConnectionClosed(_logger, connection.SessionId, idleTimeout);
                        connection.Close(WebSocketCloseStatus.NormalClosure, "Idle timeout (ActorRpc:Endpoint:IdleTimeout)");
                    }
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // The node is stopping.
        }
    }
}
