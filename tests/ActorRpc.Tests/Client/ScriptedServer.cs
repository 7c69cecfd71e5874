using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Threading.Channels;
using ActorRpc.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace ActorRpc.Tests.Client;

/// <summary>
/// A tiny Kestrel WebSocket endpoint that the test scripts frame by frame (no ActorRpc behind it):
/// for the client's side of server → client calls, malformed frames, drops and the upgrade's headers.
/// </summary>
public sealed class ScriptedServer : IAsyncDisposable
{
    private readonly Channel<ScriptedPeer> _peers = Channel.CreateUnbounded<ScriptedPeer>();
    private readonly System.Collections.Concurrent.ConcurrentBag<ScriptedPeer> _all = [];
    private readonly CancellationTokenSource _stopping = new();
    private LibraryApp? _app;

    public Uri Url { get; private set; } = null!;

    public static async Task<ScriptedServer> StartAsync()
    {
        var server = new ScriptedServer();
        server._app = await LibraryApp.StartAsync(_ => { }, web =>
        {
            web.UseWebSockets();
            web.Map("/ws", server.AcceptAsync);
        });
        server.Url = server._app.WebSocketUri("/ws");
        return server;
    }

    /// <summary>The next client that connected.</summary>
    public Task<ScriptedPeer> NextPeerAsync() => _peers.Reader.ReadAsync().AsTask().DefaultTimeout();

    public async ValueTask DisposeAsync()
    {
        // Ends every handler, including those of clients that reconnect while the app stops.
        await _stopping.CancelAsync();
        foreach (var peer in _all)
        {
            peer.Abort();
        }

        if (_app is not null)
        {
            await _app.DisposeAsync();
        }

        _stopping.Dispose();
    }

    private async Task AcceptAsync(HttpContext context)
    {
        if (!context.WebSockets.IsWebSocketRequest)
        {
            context.Response.StatusCode = 400;
            return;
        }

        var socket = await context.WebSockets.AcceptWebSocketAsync();
        var peer = new ScriptedPeer(socket, context.Request.Headers.Authorization.ToString());
        _all.Add(peer);
        _peers.Writer.TryWrite(peer);
        try
        {
            await peer.Done.WaitAsync(_stopping.Token);
        }
        catch (OperationCanceledException)
        {
            peer.Abort();
        }
    }
}

/// <summary>One connected client, seen from the scripted server.</summary>
public sealed class ScriptedPeer(WebSocket socket, string authorization)
{
    private readonly TaskCompletionSource _done = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>The upgrade request's <c>Authorization</c> header (empty when none).</summary>
    public string Authorization { get; } = authorization;

    public WebSocket Socket { get; } = socket;

    internal Task Done => _done.Task;

    public Task SendAsync(string text) =>
        Socket.SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text, true, CancellationToken.None).DefaultTimeout();

    /// <summary>The next whole text message, as JSON.</summary>
    public async Task<JsonElement> ReceiveJsonAsync()
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[8192];
        while (true)
        {
            var result = await Socket.ReceiveAsync(chunk, CancellationToken.None).DefaultTimeout();
            Assert.True(result.MessageType == WebSocketMessageType.Text, $"Expected a text message but got {result.MessageType} ({Socket.CloseStatus}).");
            buffer.Write(chunk, 0, result.Count);
            if (result.EndOfMessage)
            {
                return JsonDocument.Parse(buffer.ToArray()).RootElement.Clone();
            }
        }
    }

    /// <summary>Reads until the client's close frame and returns its status.</summary>
    public async Task<WebSocketCloseStatus?> ReceiveCloseAsync()
    {
        var chunk = new byte[8192];
        while (true)
        {
            var result = await Socket.ReceiveAsync(chunk, CancellationToken.None).DefaultTimeout();
            if (result.MessageType == WebSocketMessageType.Close)
            {
                // Answer the close, so the client's handshake completes without waiting out its timeout.
                await Socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None).DefaultTimeout();
                _done.TrySetResult();
                return Socket.CloseStatus;
            }
        }
    }

    /// <summary>Drops the connection without a closing handshake.</summary>
    public void Abort()
    {
        Socket.Abort();
        _done.TrySetResult();
    }
}
