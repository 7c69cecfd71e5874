using System.Net.WebSockets;
using System.Text;

namespace ActorRpc.Tests.Reliability;

/// <summary>
/// Sends many requests over one socket with a bounded number awaiting their replies, the way a
/// busy real client does; replies are counted, not kept.
/// </summary>
internal static class PipelinedCaller
{
    /// <summary>Sends <paramref name="count"/> requests made by <paramref name="request"/>(i), at most <paramref name="window"/> unanswered.</summary>
    public static async Task<int> RunAsync(Uri uri, int count, int window, Func<int, string> request, TimeSpan timeout)
    {
        using var socket = new ClientWebSocket();
        using var deadline = new CancellationTokenSource(timeout);
        await socket.ConnectAsync(uri, deadline.Token);
        using var slots = new SemaphoreSlim(window);
        var errors = 0;
        var reading = Task.Run(async () =>
        {
            var buffer = new byte[16 * 1024];
            for (var answered = 0; answered < count;)
            {
                var result = await socket.ReceiveAsync(buffer, deadline.Token);
                Assert.Equal(WebSocketMessageType.Text, result.MessageType);
                if (result.EndOfMessage)
                {
                    if (buffer.AsSpan(0, result.Count).IndexOf("\"error\""u8) >= 0)
                    {
                        errors++;
                    }

                    answered++;
                    slots.Release();
                }
            }
        });

        for (var i = 0; i < count; i++)
        {
            await slots.WaitAsync(deadline.Token);
            await socket.SendAsync(Encoding.UTF8.GetBytes(request(i)), WebSocketMessageType.Text, true, deadline.Token);
        }

        await reading;
        return errors;
    }
}
