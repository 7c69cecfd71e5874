namespace ActorRpc.Client;

/// <summary>Where an <see cref="ActorRpcClient"/>'s connection stands.</summary>
public enum RpcConnectionState
{
    /// <summary>Connected: calls are sent at once.</summary>
    Connected,

    /// <summary>
    /// The connection dropped and the client is reconnecting: new calls wait for the new connection
    /// (up to their timeout); subscriptions are re-made once it is up.
    /// </summary>
    Reconnecting,

    /// <summary>Closed for good (disposed, reconnect turned off, or reconnect gave up): calls fail with <see cref="RpcConnectionLostException"/>.</summary>
    Closed,
}
