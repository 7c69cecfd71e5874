using System.Net.WebSockets;

namespace ActorRpc.Tests.Robustness;

/// <summary>One fuzz case: the bytes of one WebSocket message, how they are framed, and where they came from.</summary>
/// <param name="Origin">The generator and mutators that made it, for the failure report.</param>
/// <param name="Payload">The message bytes.</param>
/// <param name="Type">Text, or (rarely) binary.</param>
/// <param name="Fragments">Sizes of the frames the message is sent in; empty for one frame.</param>
public sealed record FuzzCase(string Origin, byte[] Payload, WebSocketMessageType Type, int[] Fragments);
