namespace ActorRpc;

/// <summary>
/// What the server does with a WebSocket client that reads notifications more slowly than they
/// are published, once <see cref="RpcLimitsOptions.MaxOutboundQueue"/> notifications wait for it.
/// Either way the publisher is never slowed down or failed, and both are logged and counted.
/// </summary>
public enum SlowConsumerPolicy
{
    /// <summary>
    /// Close the connection with 1008 (Policy Violation), dropping what was queued: the client
    /// learns it missed data and can reconnect and resynchronise.
    /// </summary>
    Disconnect,

    /// <summary>
    /// Keep the connection and drop the notifications that do not fit, for feeds where only the
    /// latest values matter. Replies to requests are never dropped.
    /// </summary>
    DropNotifications,
}
