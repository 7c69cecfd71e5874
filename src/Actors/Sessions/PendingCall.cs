using System.Text.Json;
using Akka.Actor;
using ActorRpc.Actors.Protocol;

namespace ActorRpc.Actors.Sessions;

/// <summary>A call the session dispatched and has not answered yet.</summary>
/// <param name="Sequence">The session's number for the call.</param>
/// <param name="Id">The raw JSON id; empty for a notification.</param>
/// <param name="Batch">The batch it belongs to, if any.</param>
/// <param name="Router">Where it went, so a cancellation can follow it; null for a task the session started itself (<see cref="Routing.MethodRoute"/>), whose token is all there is to cancel.</param>
/// <param name="Cancellation">The handler's token source; owned by the session.</param>
/// <param name="Deadline">When it times out (<see cref="Environment.TickCount64"/>), or <see cref="long.MaxValue"/>.</param>
/// <param name="Span">The request's span, ended when the session answers the call; null when nobody traces.</param>
internal sealed record PendingCall(
    long Sequence,
    ReadOnlyMemory<byte> Id,
    BatchResponse? Batch,
    IActorRef? Router,
    CancellationTokenSource Cancellation,
    long Deadline,
    System.Diagnostics.Activity? Span)
{
    public bool IsNotification => Id.IsEmpty;

    /// <summary>
    /// The length of a single call's message, counted in flight (MaxInFlightBytes) until the call
    /// settles; 0 for a batch's entry, whose batch settles its bytes (see <see cref="BatchResponse"/>).
    /// </summary>
    public long MessageBytes { get; init; }

    /// <summary>
    /// What the client gets once the handler finished with <paramref name="handlerFrame"/>: nothing
    /// for a notification, and an internal error where a request's handler left no frame. The same
    /// for both completion paths (the session's mailbox and <see cref="DirectCompletions"/>).
    /// </summary>
    public byte[]? Response(byte[]? handlerFrame, JsonSerializerOptions options) =>
        IsNotification ? null : handlerFrame ?? JsonRpcResponseWriter.Error(Id, RpcError.InternalError, options);

    /// <summary>
    /// What the client gets for this call once it left <see cref="CallsInFlight"/> with
    /// <paramref name="frame"/> (its handler's, or the session's error): <see cref="Response"/>, and for
    /// a single call held to <paramref name="maxResponseSize"/> (<see cref="ResponseSizeLimit"/>; a
    /// batch's entry is not: its batch holds the whole array to the limit). The one place a routed
    /// call's reply is built, for both completion paths and give-ups.
    /// </summary>
    public byte[]? Reply(byte[]? frame, int maxResponseSize, JsonSerializerOptions options)
    {
        var response = Response(frame, options);
        return response is null || Batch is not null ? response : ResponseSizeLimit.Apply(response, Id, maxResponseSize, options);
    }
}
