using System.Diagnostics;
using Akka.Actor;
using Akka.Event;

namespace ActorRpc.Actors.Sessions;

/// <summary>Who a session serves.</summary>
/// <param name="SessionId">Unique on the node; appears in every log line about the session.</param>
/// <param name="RemoteAddress">The client's address, when known.</param>
/// <param name="Transport"><c>websocket</c> or <c>http</c>.</param>
/// <param name="SingleExchange">True for HTTP: one message in, at most one frame out, then the session ends.</param>
internal sealed record SessionInfo(string SessionId, string? RemoteAddress, string Transport, bool SingleExchange)
{
    /// <summary>Who the client is, as ASP.NET Core authentication found it at the upgrade or POST.</summary>
    public SessionIdentity Identity { get; init; } = SessionIdentity.Anonymous;

    /// <summary>The transport name of WebSocket sessions.</summary>
    public const string WebSocketTransport = Methods.Definition.RpcTransports.WebSocket;

    /// <summary>The transport name of HTTP POST exchanges.</summary>
    public const string HttpTransport = Methods.Definition.RpcTransports.Http;
}

/// <summary>Messages to and from session actors.</summary>
internal static class SessionProtocol
{
    /// <summary>Asks the session manager for a new session; answered with <see cref="SessionStarted"/>.</summary>
    public sealed record StartSession(SessionInfo Info, ISessionTransport Transport) : INoSerializationVerificationNeeded;

    /// <summary>The answer to <see cref="StartSession"/>.</summary>
    public sealed record SessionStarted(StartSession Request, IActorRef Session) : INoSerializationVerificationNeeded;

    /// <summary>One complete text message from the client (a request, notification or batch, or garbage).</summary>
    /// <param name="Payload">The UTF-8 bytes; owned by the session from now on and never changed.</param>
    /// <param name="TraceParent">The trace the message arrived in (an HTTP POST's), parent of its requests' spans; default for none.</param>
    public sealed record InboundMessage(byte[] Payload, ActivityContext TraceParent = default) : INoSerializationVerificationNeeded;

    /// <summary>A notification for a topic the session subscribed to, already a complete frame (shared by all subscribers).</summary>
    public sealed record Deliver(byte[] Frame) : INoSerializationVerificationNeeded, IDeadLetterSuppression;

    /// <summary>The connection is gone: stop, cancelling whatever still runs for it.</summary>
    public sealed class ConnectionClosed : INoSerializationVerificationNeeded, IDeadLetterSuppression
    {
        private ConnectionClosed()
        {
        }

        /// <summary>The single instance.</summary>
        public static ConnectionClosed Instance { get; } = new();
    }
}
