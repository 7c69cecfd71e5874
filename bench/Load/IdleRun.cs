using System.Text;

namespace ActorRpc.Bench.Load;

/// <summary>The settings of one <c>idle</c> run.</summary>
internal sealed record IdleSettings(Uri Uri, int Connections, double SettleSeconds, int Pid);

/// <summary>Server RSS before and with the connections held, and the difference per connection.</summary>
internal sealed record IdleResult(int Connections, int Connected, double RssBeforeMb, double RssAfterMb, double KbPerConnection);

/// <summary>
/// Opens N connections, has each make one <c>ping</c> (so the server has fully set up its side), then
/// holds them quietly and reads the server's RSS.
/// </summary>
internal static class IdleRun
{
    public static async Task<IdleResult> RunAsync(IdleSettings settings, CancellationToken cancellationToken)
    {
        var ping = Encoding.UTF8.GetBytes("""{"jsonrpc":"2.0","method":"ping","id":1}""");
        await Task.Delay(TimeSpan.FromSeconds(settings.SettleSeconds), cancellationToken).ConfigureAwait(false);
        var before = ServerStats.RssBytes(settings.Pid);
        var sockets = new System.Net.WebSockets.ClientWebSocket?[settings.Connections];
        var connected = 0;
        try
        {
            await Parallel.ForAsync(0, settings.Connections, new ParallelOptions { MaxDegreeOfParallelism = 32, CancellationToken = cancellationToken }, async (i, ct) =>
            {
                var socket = await WsClient.ConnectAsync(settings.Uri, WsClientOptions.ManyConnections, ct).ConfigureAwait(false);
                sockets[i] = socket;
                await WsClient.SendAsync(socket, ping, ct).ConfigureAwait(false);
                if (await WsClient.ReceiveMessageAsync(socket, new FrameBuffer(256), ct).ConfigureAwait(false) > 0)
                {
                    Interlocked.Increment(ref connected);
                }
            }).ConfigureAwait(false);

            await Task.Delay(TimeSpan.FromSeconds(settings.SettleSeconds), cancellationToken).ConfigureAwait(false);
            var after = ServerStats.RssBytes(settings.Pid);
            return new IdleResult(
                settings.Connections, connected, Math.Round(before / 1048576.0, 1), Math.Round(after / 1048576.0, 1),
                Math.Round((after - before) / 1024.0 / Math.Max(1, connected), 2));
        }
        finally
        {
            WsClient.AbortAll(sockets);
        }
    }
}
