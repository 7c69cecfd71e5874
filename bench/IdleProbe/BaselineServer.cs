using System.Net.WebSockets;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace ActorRpc.Bench.IdleProbe;

/// <summary>
/// The baseline: a raw Kestrel WebSocket server as the ASP.NET Core samples write one (a 4 KB
/// buffer per connection for its life), answering every message with the ping reply. What the
/// ActorRpc node's per-connection cost is compared with, in the same run.
/// </summary>
internal static class BaselineServer
{
    private static readonly byte[] Pong = Encoding.UTF8.GetBytes("""{"jsonrpc":"2.0","id":1,"result":"pong"}""");

    public static async Task RunAsync(string url)
    {
        Console.WriteLine($"baseline server: server GC {System.Runtime.GCSettings.IsServerGC}");
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.WebHost.UseUrls(url);
        var app = builder.Build();
        app.UseWebSockets(new WebSocketOptions { KeepAliveInterval = TimeSpan.FromSeconds(30) });
        app.Map("/rpc", async context =>
        {
            if (!context.WebSockets.IsWebSocketRequest)
            {
                context.Response.StatusCode = StatusCodes.Status400BadRequest;
                return;
            }

            using var socket = await context.WebSockets.AcceptWebSocketAsync().ConfigureAwait(false);
            var buffer = new byte[4 * 1024];
            try
            {
                while (true)
                {
                    var result = await socket.ReceiveAsync(buffer.AsMemory(), context.RequestAborted).ConfigureAwait(false);
                    if (result.MessageType == WebSocketMessageType.Close)
                    {
                        await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, string.Empty, CancellationToken.None).ConfigureAwait(false);
                        return;
                    }

                    if (result.EndOfMessage)
                    {
                        await socket.SendAsync(Pong, WebSocketMessageType.Text, endOfMessage: true, context.RequestAborted).ConfigureAwait(false);
                    }
                }
            }
            catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or IOException)
            {
                // The client went.
            }
        });

        await app.RunAsync().ConfigureAwait(false);
    }
}
