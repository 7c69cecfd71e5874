using System.Collections.Concurrent;
using System.Net.WebSockets;

namespace ActorRpc.Gateway.Transport;

/// <summary>The node's open WebSocket connections, so shutdown can close each with 1001 Going Away.</summary>
internal sealed class ConnectionRegistry
{
    private readonly ConcurrentDictionary<WebSocketConnection, byte> _connections = new();

    public int Count => _connections.Count;

    public void Add(WebSocketConnection connection) => _connections.TryAdd(connection, 0);

    public void Remove(WebSocketConnection connection) => _connections.TryRemove(connection, out _);

    public void CloseAll(WebSocketCloseStatus status, string reason)
    {
        foreach (var connection in _connections.Keys)
        {
            connection.Close(status, reason);
        }
    }
}
