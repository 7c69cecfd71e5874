namespace ActorRpc.Client;

/// <summary>Raised when a new connection is up and every live subscription was re-made (<see cref="ActorRpcClient.Reconnected"/>).</summary>
/// <param name="attempts">How many connection attempts it took (1 when the first succeeded).</param>
public sealed class RpcReconnectedEventArgs(int attempts) : EventArgs
{
    /// <summary>How many connection attempts it took (1 when the first succeeded).</summary>
    public int Attempts { get; } = attempts;
}
