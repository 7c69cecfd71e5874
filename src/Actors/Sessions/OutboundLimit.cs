namespace ActorRpc.Actors.Sessions;

/// <summary>
/// Which setting refused a notification (<see cref="ISessionTransport.TryNotify(byte[], out OutboundLimit)"/>):
/// each name is the setting's under <c>ActorRpc:Limits</c>, so logs and close reasons name the exact one.
/// </summary>
internal enum OutboundLimit
{
    /// <summary>Nothing refused it: the notification was queued (or dropped on purpose by a closing connection).</summary>
    None,

    /// <summary>MaxOutboundQueue notifications already wait for the client.</summary>
    MaxOutboundQueue,

    /// <summary>The connection's queued bytes would pass MaxOutboundBytes.</summary>
    MaxOutboundBytes,

    /// <summary>The node's buffered bytes would pass MaxNodeBufferedBytes.</summary>
    MaxNodeBufferedBytes,
}
