using System.Net.WebSockets;
using System.Text;
using System.Text.Json;

namespace ActorRpc.Tests.Infrastructure;

/// <summary>A raw JSON-RPC client over a real <see cref="ClientWebSocket"/>: sends text, reads whole messages.</summary>
public sealed class RpcTestSocket : IAsyncDisposable
{
    private readonly byte[] _buffer = new byte[64 * 1024];
    private int _nextId;

    private RpcTestSocket(ClientWebSocket socket) => Socket = socket;

    public ClientWebSocket Socket { get; }

    public static async Task<RpcTestSocket> ConnectAsync(Uri uri)
    {
        var socket = new ClientWebSocket();
        await socket.ConnectAsync(uri, CancellationToken.None).DefaultTimeout();
        return new RpcTestSocket(socket);
    }

    public Task SendAsync(string text) => SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text);

    public async Task SendAsync(byte[] payload, WebSocketMessageType type, bool endOfMessage = true)
    {
        await Socket.SendAsync(payload, type, endOfMessage, CancellationToken.None).DefaultTimeout();
    }

    /// <summary>Reads the next whole message; fails if the server closes instead.</summary>
    public async Task<string> ReceiveAsync(TimeSpan? timeout = null)
    {
        var message = await ReceiveMessageAsync(timeout ?? TestTimeouts.Long);
        Assert.True(message.Type == WebSocketMessageType.Text, $"Expected a text message but got {message.Type} ({Socket.CloseStatus} {Socket.CloseStatusDescription}).");
        return message.Text!;
    }

    public async Task<JsonElement> ReceiveJsonAsync(TimeSpan? timeout = null)
    {
        using var document = JsonDocument.Parse(await ReceiveAsync(timeout));
        return document.RootElement.Clone();
    }

    /// <summary>Sends a request with a fresh numeric id and returns its response (which must carry that id).</summary>
    public async Task<JsonElement> CallAsync(string method, object? parameters = null)
    {
        var id = Interlocked.Increment(ref _nextId);
        var request = parameters is null
            ? JsonSerializer.Serialize(new { jsonrpc = "2.0", method, id })
            : JsonSerializer.Serialize(new { jsonrpc = "2.0", method, @params = parameters, id });
        await SendAsync(request);
        var response = await ReceiveJsonAsync();
        Assert.Equal(id, response.GetProperty("id").GetInt32());
        return response;
    }

    /// <summary>Waits for the server's close frame and returns its status and reason.</summary>
    public async Task<(WebSocketCloseStatus? Status, string? Reason)> ReceiveCloseAsync()
    {
        while (true)
        {
            var message = await ReceiveMessageAsync(TestTimeouts.Long);
            if (message.Type == WebSocketMessageType.Close)
            {
                return (Socket.CloseStatus, Socket.CloseStatusDescription);
            }
        }
    }

    /// <summary>Asserts that no message arrives within the short timeout.</summary>
    public async Task ExpectNoMessageAsync()
    {
        using var cts = new CancellationTokenSource(TestTimeouts.Short);
        try
        {
            var result = await Socket.ReceiveAsync(_buffer, cts.Token);
            Assert.Fail($"Expected no message but got {result.MessageType}: {Encoding.UTF8.GetString(_buffer, 0, result.Count)}");
        }
        catch (OperationCanceledException)
        {
            // Nothing came: as expected. The cancelled receive aborts the socket, so this must be the last use.
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Socket.State == WebSocketState.Open)
        {
            try
            {
                using var cts = new CancellationTokenSource(TestTimeouts.Long);
                await Socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "done", cts.Token);
            }
            catch (Exception ex) when (ex is WebSocketException or OperationCanceledException)
            {
                // The server may already be gone; nothing to clean up.
            }
        }

        Socket.Dispose();
    }

    private async Task<(WebSocketMessageType Type, string? Text)> ReceiveMessageAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        using var message = new MemoryStream();
        while (true)
        {
            var result = await Socket.ReceiveAsync(_buffer, cts.Token);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                return (WebSocketMessageType.Close, null);
            }

            message.Write(_buffer, 0, result.Count);
            if (result.EndOfMessage)
            {
                return (result.MessageType, Encoding.UTF8.GetString(message.ToArray()));
            }
        }
    }
}
