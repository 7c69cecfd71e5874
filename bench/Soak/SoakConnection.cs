using System.Text.Json;

namespace ActorRpc.Bench.Soak;

/// <summary>
/// The soak run's connections: the shared <see cref="RpcConnection"/> to a node, with a 10 s connect
/// timeout, and every reply no call was waiting for counted against that node.
/// </summary>
internal static class SoakConnection
{
    private static readonly WsClientOptions Options = new() { ConnectTimeout = TimeSpan.FromSeconds(10) };

    public static Task<RpcConnection> ConnectAsync(ClusterNode node, Action<string, JsonElement>? onNotification, CancellationToken cancellationToken) =>
        RpcConnection.ConnectAsync(
            node.WebSocketUri, Options, onNotification, raw => SoakStats.Instance.UnmatchedReply(node.Index, raw), cancellationToken);
}
