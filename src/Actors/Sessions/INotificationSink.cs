namespace ActorRpc.Actors.Sessions;

/// <summary>
/// Where a topic writes a subscriber's notifications without a trip through the session's mailbox:
/// the session's connection. A notify to N local subscribers is then N queue writes on the topic's
/// thread instead of N messages, N mailbox turns and N thread-pool hops (issue #5). Must return at
/// once and be safe to call from any thread.
/// </summary>
public interface INotificationSink
{
    /// <summary>
    /// Queues a notification frame. False when the client already has
    /// <c>MaxOutboundQueue</c> notifications waiting (a slow consumer); the frame is then not queued.
    /// A closing connection drops the frame and says true.
    /// </summary>
    bool TryNotify(byte[] frame);
}
