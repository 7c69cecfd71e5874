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
    System.Diagnostics.Activity? Span) : Routing.IHandlerPlace
{
    // Who holds the call's place among the node's handlers (MaxNodeHandlers): the session until the call
    // leaves CallsInFlight, and, for a task this node runs, the handler until it returns. The place goes
    // back when both have let go, so a handler that ignores its cancelled token (given up at
    // HandlerTimeout, by $/cancelRequest, with its connection) still counts while it runs.
    private int _placeHolders = 1;

    public bool IsNotification => Id.IsEmpty;

    /// <summary>
    /// The length of a single call's message, counted in flight (MaxInFlightBytes) until the call
    /// settles; 0 for a batch's entry, whose batch settles its bytes (see <see cref="BatchResponse"/>).
    /// </summary>
    public long MessageBytes { get; init; }

    /// <summary>
    /// For a built-in the session answers itself once decided (<see cref="GuardedBuiltIns"/>): its
    /// method's metric label, so a give-up is counted where no handler would count it; null for a routed call.
    /// </summary>
    public string? BuiltInLabel { get; init; }

    /// <summary>When the session took the call (<see cref="System.Diagnostics.Stopwatch.GetTimestamp"/>), for the latency of a built-in's give-up.</summary>
    public long Started { get; init; }

    /// <summary>The node's count of running handlers, where the call's place goes back.</summary>
    public required NodeHandlers Handlers { get; init; }

    /// <summary>This node runs the call's handler as a task, which holds the place too until it returns (<see cref="Routing.IHandlerPlace"/>).</summary>
    public bool HandlerRunsHere
    {
        get => Volatile.Read(ref _placeHolders) > 1;
        init => _placeHolders = value ? 2 : 1;
    }

    /// <summary>The call left the session's calls in flight: the session's hold on the place ends.</summary>
    public void LeftSession() => ReleasePlace();

    /// <inheritdoc/>
    public void HandlerReturned() => ReleasePlace();

    private void ReleasePlace()
    {
        if (Interlocked.Decrement(ref _placeHolders) == 0)
        {
            Handlers.Release();
        }
    }

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
