using System.Net.WebSockets;

namespace ActorRpc.Gateway.Transport;

/// <summary>
/// The connection a <see cref="WebSocketReader"/> reads for: it says whether the connection is
/// closing, and hears of the closes the reader finds. An interface rather than delegates, so a
/// connection costs no extra objects for it.
/// </summary>
internal interface IWebSocketReaderOwner
{
    /// <summary>Whether a close was asked for; messages read from then on are discarded.</summary>
    bool IsClosing { get; }

    /// <summary>The peer's close frame arrived, with <paramref name="status"/> (null when it gave none).</summary>
    void PeerClosed(WebSocketCloseStatus? status);

    /// <summary>The reader refused a message that earns a close with <paramref name="status"/>.</summary>
    void Refuse(WebSocketCloseStatus status, string reason);
}
