using System.Text.Json;
using ActorRpc.Actors.Routing;

namespace ActorRpc.Actors.Sessions;

/// <summary>
/// Answers a WebSocket session's single (not batched) calls of local task methods straight from
/// the handler's thread: the reply goes to the transport, which is thread-safe, without a second
/// trip through the session's mailbox. That trip did nothing but this, and on a busy connection it
/// was a third thread-pool hop per request, after the session's and the handler's. The session
/// stays the owner of its calls: it starts them, gives up on them (timeouts, client cancels, its
/// own end), and answers batches and HTTP exchanges itself; <see cref="CallsInFlight.TryComplete"/>
/// decides which side answers a call.
/// </summary>
internal sealed class DirectCompletions(
    CallsInFlight calls, ISessionTransport transport, JsonSerializerOptions serializerOptions, int maxResponseSize) : ICallCompletion
{
    public void Completed(long sequence, byte[]? frame)
    {
        if (!calls.TryComplete(sequence, out var call))
        {
            return; // The session gave up on it and answered already.
        }

        // In-flight accounting: see ISessionTransport's remarks (a single call settles 1, and its message's bytes).
        if (call.Reply(frame, maxResponseSize, serializerOptions) is { } reply)
        {
            transport.Reply(reply, requests: 1, call.MessageBytes);
        }
        else
        {
            transport.Release(1, call.MessageBytes);
        }
    }
}
