using System.Diagnostics;
using Akka.Actor;
using ActorRpc.Methods.Definition;

namespace ActorRpc.Actors.Routing;

/// <summary>
/// One call of a task-backed method, run on the thread pool so that a handler that blocks or
/// computes for long never holds up its router's mailbox. Every outcome, exceptions included,
/// ends in exactly one <see cref="RouterProtocol.InvocationCompleted"/> to the session.
/// </summary>
internal sealed class TaskInvocation(TaskMethodHandler handler, RpcCall call, IActorRef replyTo, CallOutcomes outcomes) : IThreadPoolWorkItem
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

        replyTo.Tell(new RouterProtocol.InvocationCompleted(call.Sequence, frame), ActorRefs.NoSender);
    }
}
