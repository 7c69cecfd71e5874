namespace ActorRpc.Actors.Sessions;

/// <summary>
/// Why a session asks its transport to end the connection. Transport-neutral on purpose: the
/// session knows what went wrong, and each transport decides how to say it on its own wire (a
/// WebSocket close status and reason, an HTTP status).
/// </summary>
internal enum SessionCloseReason
{
    /// <summary>The client reads too slowly: MaxOutboundQueue notifications are already waiting for it.</summary>
    SlowConsumer,

    /// <summary>The session failed and cannot answer any more.</summary>
    SessionFailed,
}
