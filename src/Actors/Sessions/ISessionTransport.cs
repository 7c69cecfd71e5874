using System.Net.WebSockets;

namespace ActorRpc.Actors.Sessions;

/// <summary>
/// The session's only way out to its client. Implemented by the Gateway for a WebSocket
/// connection and for an HTTP POST exchange. Every member must return at once: the session is an
/// actor and never waits on I/O.
/// </summary>
public interface ISessionTransport
{
    /// <summary>
    /// Queues a complete frame for sending; false only when the bounded queue of an open connection
    /// is full (a closing connection drops frames and says true).
    /// </summary>
    bool TrySend(byte[] frame);

    /// <summary>Asks for the connection to be closed with <paramref name="status"/>; pending frames are dropped.</summary>
    void Close(WebSocketCloseStatus status, string reason);

    /// <summary>The session will send nothing more (the end of an HTTP exchange; a no-op for WebSockets).</summary>
    void Complete();
}
