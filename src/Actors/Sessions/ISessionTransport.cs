namespace ActorRpc.Actors.Sessions;

/// <summary>
/// The session's only way out to its client. Implemented by the Gateway for a WebSocket
/// connection and for an HTTP POST exchange. Every member must return at once: the session is an
/// actor and never waits on I/O. <see cref="Reply"/> and <see cref="Release"/> are also called
/// from task handlers' threads (a WebSocket session's single calls answer there), so a WebSocket
/// transport is thread-safe.
/// </summary>
/// <remarks>
/// Flow control: the transport counts requests in flight. Each message it hands to the session
/// counts as one; a batch of n entries adds n - 1 (<see cref="AddInFlight"/>). A request stops
/// counting once its reply has been written (<see cref="Reply"/>), a notification once its
/// handler finished (<see cref="Release"/>). While the count is at the limit, a WebSocket
/// transport reads nothing more from its client.
/// </remarks>
public interface ISessionTransport
{
    /// <summary>
    /// Queues a notification frame. False when the client already has
    /// <c>MaxOutboundQueue</c> notifications waiting (a slow consumer); the frame is then not queued.
    /// A closing connection drops the frame and says true.
    /// </summary>
    bool TryNotify(byte[] frame);

    /// <summary>
    /// Queues the reply to one message; <paramref name="requests"/> stop counting as in flight once
    /// it is written. Never refused: replies are bounded by the in-flight limit, not by the queue.
    /// </summary>
    void Reply(byte[] frame, int requests);

    /// <summary>Entries of a batch beyond the one its message already counted.</summary>
    void AddInFlight(int requests);

    /// <summary>Requests or notifications that finished without a reply to write.</summary>
    void Release(int requests);

    /// <summary>
    /// Asks for the connection to be closed because of <paramref name="reason"/>; pending frames are
    /// dropped. The transport chooses how to tell its client (a WebSocket close frame, an HTTP status).
    /// </summary>
    void Close(SessionCloseReason reason);

    /// <summary>The session will send nothing more (the end of an HTTP exchange; a no-op for WebSockets).</summary>
    void Complete();
}
