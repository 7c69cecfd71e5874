using System.Collections.Concurrent;
using System.Net.WebSockets;

namespace ActorRpc.Gateway.Transport;

/// <summary>
/// The node's open WebSocket connections: counted against MaxConnections, swept for idle ones, and
/// closed with 1001 Going Away on shutdown. HTTP POSTs take a place of MaxConnections too
/// (<see cref="TryReserve"/>) from their arrival until every handler they started has finished,
/// but are not listed: there is nothing of theirs to sweep or close.
/// </summary>
internal sealed class ConnectionRegistry
{
    private readonly ConcurrentDictionary<WebSocketConnection, byte> _connections = new();
    private int _reserved;

    public int Count => _connections.Count;

    public ICollection<WebSocketConnection> Connections => _connections.Keys;

    /// <summary>
    /// Takes one of <paramref name="limit"/> places before the handshake, so that concurrent
    /// upgrades cannot all pass a check of <see cref="Count"/>; false when none is left.
    /// </summary>
    public bool TryReserve(int limit)
    {
        if (Interlocked.Increment(ref _reserved) <= limit)
        {
            return true;
        }

        Interlocked.Decrement(ref _reserved);
        return false;
    }

    /// <summary>Gives back a place taken by <see cref="TryReserve"/>.</summary>
    public void Unreserve() => Interlocked.Decrement(ref _reserved);

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
