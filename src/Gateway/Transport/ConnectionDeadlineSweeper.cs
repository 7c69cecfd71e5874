using System.Net.WebSockets;
using ActorRpc.Gateway.Logging;
using Microsoft.Extensions.Options;

namespace ActorRpc.Gateway.Transport;

/// <summary>
/// Closes WebSockets that have been idle for IdleTimeout, or that started a message and did not
/// finish it within MessageTimeout. One sweep over the node's connections every quarter of the
/// shorter timeout, rather than a timer per connection (or per partial message): with tens of
/// thousands of connections, timers would cost more than the occasional pass over a dictionary,
/// and an idle connection costs the sweep a read of two fields.
/// </summary>
internal sealed class ConnectionDeadlineSweeper(ConnectionRegistry connections, IOptions<RpcEndpointOptions> options, ILoggerFactory loggerFactory) : BackgroundService
{
    private readonly ILogger _logger = loggerFactory.CreateLogger("ActorRpc.Gateway.WebSocket");
    private long _lastSweep;

    /// <summary>
    /// When the last complete sweep began (<see cref="Environment.TickCount64"/>; 0 before the first):
    /// every connection it did not close was within both deadlines then. Lets a test wait for a sweep
    /// rather than sleep through some.
    /// </summary>
    internal long LastSweep => Interlocked.Read(ref _lastSweep);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var idleTimeout = options.Value.IdleTimeout;
        var messageTimeout = options.Value.MessageTimeout;
        var idleMs = Milliseconds(idleTimeout);
        var messageMs = Milliseconds(messageTimeout);
        if (idleMs == long.MaxValue && messageMs == long.MaxValue)
        {
            return;
        }

        var period = Math.Clamp(Math.Min(idleMs, messageMs) / 4, 50, 30_000);
        var messageReason = $"Message not completed within {messageTimeout} (ActorRpc:Endpoint:MessageTimeout)";
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(period));
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                var now = Environment.TickCount64;
                foreach (var connection in connections.Connections)
                {
                    if (connection.IsClosing)
                    {
                        continue;
                    }

                    if (connection.MessageStarted is var started and not 0 && now - started >= messageMs)
                    {
                        // Closing also lets the reader go on to the peer's close frame, which ends the read
                        // and returns its buffer (or CloseTimeout aborts the socket, with the same effect).
                        GatewayLog.ClosingConnection(_logger, connection.SessionId, WebSocketCloseStatus.PolicyViolation, messageReason);
                        connection.Close(WebSocketCloseStatus.PolicyViolation, messageReason);
                    }
                    else if (now - connection.LastActivity >= idleMs)
                    {
                        GatewayLog.IdleConnectionClosed(_logger, connection.SessionId, idleTimeout);
                        connection.Close(WebSocketCloseStatus.NormalClosure, "Idle timeout (ActorRpc:Endpoint:IdleTimeout)");
                    }
                }

                Interlocked.Exchange(ref _lastSweep, now);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // The node is stopping.
        }
    }

    private static long Milliseconds(TimeSpan timeout) =>
        timeout == Timeout.InfiniteTimeSpan || timeout <= TimeSpan.Zero ? long.MaxValue : (long)timeout.TotalMilliseconds;
}
