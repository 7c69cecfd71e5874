using System.Net.Sockets;
using System.Text;
using ActorRpc.Tests.Infrastructure;

namespace ActorRpc.Tests.Gateway;

/// <summary>
/// Issue 12 (attacker review): a POST body that arrives fast and then stalls keeps Kestrel's average
/// body rate up for an hour; <c>Endpoint:MessageTimeout</c> bounds it as it bounds a WebSocket message.
/// </summary>
public sealed class PostBodyDeadlineSpec
{
    [Fact]
    public async Task PostBody_SentFastThenStalled_408AtMessageTimeout()
    {
        await using var server = await RpcServer.StartAsync(null, "--ActorRpc:Endpoint:MessageTimeout=00:00:01");
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(server.RpcUri.Host, server.RpcUri.Port);
        var stream = tcp.GetStream();
        var head = $"POST {server.RpcUri.AbsolutePath} HTTP/1.1\r\nHost: {server.RpcUri.Authority}\r\nContent-Type: application/json\r\nContent-Length: 1000000\r\n\r\n";
        await stream.WriteAsync(Encoding.ASCII.GetBytes(head));
        await stream.WriteAsync(new byte[900_000]); // then nothing: well above Kestrel's minimum average rate

        // Without the deadline nothing comes back for about an hour; with it, 408 after a second.
        using var reader = new StreamReader(stream, Encoding.ASCII);
        var status = await reader.ReadLineAsync().WaitAsync(TestTimeouts.Long);
        Assert.StartsWith("HTTP/1.1 408", status, StringComparison.Ordinal);
    }
}
