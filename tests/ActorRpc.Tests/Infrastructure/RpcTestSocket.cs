using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Threading.Channels;

namespace ActorRpc.Tests.Infrastructure;

/// <summary>
/// A raw JSON-RPC client over a real <see cref="ClientWebSocket"/>: sends text, and reads whole
/// messages through a background loop, so a receive that times out never aborts the socket.
/// </summary>
public sealed class RpcTestSocket : IAsyncDisposable
{
    private readonly Channel<(WebSocketMessageType Type, string? Text)> _messages = Channel.CreateUnbounded<(WebSocketMessageType, string?)>();
    private readonly Stack<(WebSocketMessageType Type, string? Text)> _stash = new();
    private readonly Task _receiving;
    private int _nextId;

    private RpcTestSocket(ClientWebSocket socket)
    {
        Socket = socket;
        _receiving = ReceiveLoopAsync();
    }

    public ClientWebSocket Socket { get; }

    public static Task<RpcTestSocket> ConnectAsync(Uri uri) => ConnectAsync(uri, static _ => { });

    /// <summary>Connects with options set by <paramref name="configure"/> (headers, certificate validation).</summary>
    public static Task<RpcTestSocket> ConnectAsync(Uri uri, Action<ClientWebSocketOptions> configure)
    {
        var socket = new ClientWebSocket();
        configure(socket.Options);
        return ConnectAsync(socket, uri);
    }

    /// <summary>
    /// Connects a socket the test made and configured, so that when the upgrade is refused the test
    /// still holds it to read the refusal (<see cref="ClientWebSocket.HttpStatusCode"/> and headers,
    /// with <see cref="ClientWebSocketOptions.CollectHttpResponseDetails"/> set).
    /// </summary>
    public static async Task<RpcTestSocket> ConnectAsync(ClientWebSocket socket, Uri uri)
    {
        await socket.ConnectAsync(uri, CancellationToken.None).DefaultTimeout();
        return new RpcTestSocket(socket);
    }

    public Task SendAsync(string text) => SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text);

    public async Task SendAsync(byte[] payload, WebSocketMessageType type, bool endOfMessage = true)
    {
        await Socket.SendAsync(payload, type, endOfMessage, CancellationToken.None).DefaultTimeout();
    }

    /// <summary>Reads the next whole message; fails if the server closes instead. Times out with <see cref="OperationCanceledException"/>.</summary>
    public async Task<string> ReceiveAsync(TimeSpan? timeout = null)
    {
        var message = await NextAsync(timeout ?? TestTimeouts.Long);
        Assert.True(message.Type == WebSocketMessageType.Text, $"Expected a text message but got {message.Type} ({Socket.CloseStatus} {Socket.CloseStatusDescription}).");
        return message.Text!;
    }

    public async Task<JsonElement> ReceiveJsonAsync(TimeSpan? timeout = null)
    {
        using var document = JsonDocument.Parse(await ReceiveAsync(timeout));
        return document.RootElement.Clone();
    }

    /// <summary>
    /// Sends a request with a fresh numeric id and returns its response (which must carry that id).
    /// Notifications that arrive meanwhile are kept, in order, for the next receive.
    /// </summary>
    public async Task<JsonElement> CallAsync(string method, object? parameters = null)
    {
        var id = Interlocked.Increment(ref _nextId);
        var request = parameters is null
            ? JsonSerializer.Serialize(new { jsonrpc = "2.0", method, id })
            : JsonSerializer.Serialize(new { jsonrpc = "2.0", method, @params = parameters, id });
        await SendAsync(request);
        var skipped = new List<(WebSocketMessageType, string?)>();
        while (true)
        {
            var message = await NextAsync(TestTimeouts.Long);
            Assert.True(message.Type == WebSocketMessageType.Text, $"Expected a response but got {message.Type} ({Socket.CloseStatus} {Socket.CloseStatusDescription}).");
            using var document = JsonDocument.Parse(message.Text!);
            var response = document.RootElement;
            if (response.ValueKind == JsonValueKind.Object && !response.TryGetProperty("id", out _) && response.TryGetProperty("method", out _))
            {
                skipped.Add(message);
                continue;
            }

            foreach (var notification in Enumerable.Reverse(skipped))
            {
                _stash.Push(notification);
            }

            Assert.Equal(id, response.GetProperty("id").GetInt32());
            return response.Clone();
        }
    }

    /// <summary>Waits for the server's close frame (skipping any messages before it) and returns its status and reason.</summary>
    public async Task<(WebSocketCloseStatus? Status, string? Reason)> ReceiveCloseAsync()
    {
        while (true)
        {
            var message = await NextAsync(TestTimeouts.Long);
            if (message.Type == WebSocketMessageType.Close)
            {
                return (Socket.CloseStatus, Socket.CloseStatusDescription);
            }
        }
    }

    /// <summary>Asserts that no message arrives within the short timeout.</summary>
    public async Task ExpectNoMessageAsync()
    {
        try
        {
            var message = await NextAsync(TestTimeouts.Short);
            Assert.Fail($"Expected no message but got {message.Type}: {message.Text}");
        }
        catch (OperationCanceledException)
        {
            // Nothing came, as expected; the socket is untouched.
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Socket.State == WebSocketState.Open)
        {
            try
            {
                using var cts = new CancellationTokenSource(TestTimeouts.Long);
                await Socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "done", cts.Token);
                await _receiving.WaitAsync(TestTimeouts.Long);
            }
            catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or TimeoutException)
            {
                // The server may already be gone; nothing to clean up.
            }
        }

        Socket.Abort();
        Socket.Dispose();
    }

    private async Task<(WebSocketMessageType Type, string? Text)> NextAsync(TimeSpan timeout)
    {
        if (_stash.TryPop(out var kept))
        {
            return kept;
        }

        using var cts = new CancellationTokenSource(timeout);
        try
        {
            return await _messages.Reader.ReadAsync(cts.Token);
        }
        catch (ChannelClosedException)
        {
            throw new WebSocketException($"The connection ended without a close frame ({Socket.State}).");
        }
    }

    private async Task ReceiveLoopAsync()
    {
        var buffer = new byte[64 * 1024];
        using var message = new MemoryStream();
        try
        {
            while (true)
            {
                var result = await Socket.ReceiveAsync(buffer, CancellationToken.None);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    _messages.Writer.TryWrite((WebSocketMessageType.Close, null));
                    return;
                }

                message.Write(buffer, 0, result.Count);
                if (result.EndOfMessage)
                {
                    _messages.Writer.TryWrite((result.MessageType, Encoding.UTF8.GetString(message.GetBuffer(), 0, (int)message.Length)));
                    message.SetLength(0);
                }
            }
        }
        catch (Exception ex) when (ex is WebSocketException or ObjectDisposedException or OperationCanceledException)
        {
            // Aborted or lost: readers see the channel complete.
        }
        finally
        {
            _messages.Writer.TryComplete();
        }
    }
}
