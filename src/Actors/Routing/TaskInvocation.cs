using System.Diagnostics;
using Akka.Actor;
using ActorRpc.Methods.Definition;

namespace ActorRpc.Actors.Routing;

/// <summary>
/// One call of a task-backed method, run on the thread pool so that a handler that blocks or
/// computes for long never holds up its router's or its session's mailbox. Every outcome,
/// exceptions included, ends in exactly one <see cref="RouterProtocol.InvocationCompleted"/> to the
/// session, or one call of its <see cref="ICallCompletion"/> where it gave one.
/// </summary>
/// <param name="handler">The method.</param>
/// <param name="call">The call.</param>
/// <param name="replyTo">The session waiting for the call's completion.</param>
/// <param name="outcomes">Writes the response.</param>
/// <param name="finishedTo">For a call routed from another node: its router, which owns the call's token source.</param>
/// <param name="completion">Where the session takes the outcome directly, instead of a message to <paramref name="replyTo"/>.</param>
/// <param name="place">The call's place among the node's handlers, let go once the handler has returned and its outcome is handed on.</param>
internal sealed class TaskInvocation(
    TaskMethodHandler handler,
    RpcCall call,
    IActorRef replyTo,
    CallOutcomes outcomes,
    IActorRef? finishedTo = null,
    ICallCompletion? completion = null,
    IHandlerPlace? place = null) : IThreadPoolWorkItem
{
    public void Execute() => _ = RunAsync();

    private async Task RunAsync()
    {
        var span = outcomes.Started(call);

        // The handler's code sees its span as current; set inside this async method, it stays in this call's flow.
        Activity.Current = span;
        byte[]? frame;
        try
        {
            var value = await handler.InvokeAsync(call.Context, call.Params, call.CancellationToken).ConfigureAwait(false);
            frame = outcomes.Succeeded(call, value, span);
        }
#pragma warning disable CA1031 // Any exception a handler throws must become a JSON-RPC error, never escape.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            frame = outcomes.Failed(call, ex, span);
        }

        if (completion is not null)
        {
            completion.Completed(call.Sequence, frame);
        }
        else
        {
            replyTo.Tell(new RouterProtocol.InvocationCompleted(call.Sequence, frame), ActorRefs.NoSender);
        }

        finishedTo?.Tell(new RouterProtocol.RoutedCallFinished(replyTo, call.Sequence), ActorRefs.NoSender);
        place?.HandlerReturned();
    }
}
