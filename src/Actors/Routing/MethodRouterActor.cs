using System.Text.Json;
using Akka.Actor;
using Akka.Event;
using ActorRpc.Methods.Binding;
using ActorRpc.Methods.Definition;
using ActorRpc.Methods.Errors;

namespace ActorRpc.Actors.Routing;

/// <summary>
/// The router of one method, created at start-up. Task-backed calls are started on the thread
/// pool and answer the session directly; actor-backed calls each get a child handler actor,
/// supervised by <see cref="HandlerSupervisorStrategy"/>, whose reply or failure the router turns
/// into the call's response.
/// </summary>
/// <remarks>
/// An UntypedActor with a switch: this is on every request's path.
/// </remarks>
internal sealed class MethodRouterActor : UntypedActor
{
    private readonly RpcMethodDescriptor _method;
    private readonly CallOutcomes _outcomes;
    private readonly IServiceProvider _services;
    private readonly Dictionary<IActorRef, RouterProtocol.Invoke> _handlerCalls = [];
    private readonly Dictionary<IActorRef, Exception> _handlerFailures = [];

    public MethodRouterActor(RpcMethodDescriptor method, RouterSettings settings)
    {
        _method = method;
        _services = settings.Services;
        _outcomes = new CallOutcomes(Context.GetLogger(), settings.SerializerOptions, settings.DetailedErrors);
    }

    public static Props Props(RpcMethodDescriptor method, RouterSettings settings) =>
        Akka.Actor.Props.Create(() => new MethodRouterActor(method, settings));

    protected override SupervisorStrategy SupervisorStrategy() =>
        new HandlerSupervisorStrategy((child, cause) => _handlerFailures[child] = cause);

    protected override void OnReceive(object message)
    {
        switch (message)
        {
            case RouterProtocol.Invoke invoke:
                Dispatch(invoke);
                break;
            case RouterProtocol.RemoteInvoke remote:
                Dispatch(remote.ToInvoke(_services));
                break;
            case RpcReply reply:
                FinishHandlerCall(Sender, call => _outcomes.Succeeded(call, new RpcValue(reply.Result, typeof(object))));
                break;
            case Status.Failure failure:
                FinishHandlerCall(Sender, call => _outcomes.Failed(call, failure.Cause));
                break;
            case HandlerStopped stopped:
                var cause = _handlerFailures.Remove(stopped.Handler, out var failure2)
                    ? failure2
                    : new InvalidOperationException($"The handler actor of [{_method.Name}] stopped without replying.");
                FinishHandlerCall(stopped.Handler, call => _outcomes.Failed(call, cause));
                break;
            default:
                Unhandled(message);
                break;
        }
    }

    private void Dispatch(RouterProtocol.Invoke invoke)
    {
        switch (_method.Handler)
        {
            case TaskMethodHandler handler:
                ThreadPool.UnsafeQueueUserWorkItem(new TaskInvocation(handler, invoke.Call, invoke.ReplyTo, _outcomes), preferLocal: false);
                break;
            case ActorMethodHandler handler:
                StartHandlerActor(handler, invoke);
                break;
        }
    }

    private void StartHandlerActor(ActorMethodHandler handler, RouterProtocol.Invoke invoke)
    {
        JsonElement? parameters = null;
        try
        {
            ParamsText.RejectInvalidUnicode(invoke.Call.Params);
        }
        catch (RpcInvalidParamsException ex)
        {
            // Answered here: a handler actor would only fail later on the same text, as an internal error.
            invoke.ReplyTo.Tell(new RouterProtocol.InvocationCompleted(invoke.Call.Sequence, _outcomes.Failed(invoke.Call, ex)));
            return;
        }

        if (!invoke.Call.Params.IsEmpty)
        {
            // Depth was checked on the whole message (ActorRpc:Limits:MaxJsonDepth) before dispatch.
            using var document = JsonDocument.Parse(invoke.Call.Params, new JsonDocumentOptions { MaxDepth = int.MaxValue });
            parameters = document.RootElement.Clone();
        }

        var child = Context.ActorOf(handler.Props);
        Context.WatchWith(child, new HandlerStopped(child));
        _handlerCalls[child] = invoke;
        child.Tell(new RpcInvocation(invoke.Call.Context, parameters), Self);
    }

    private void FinishHandlerCall(IActorRef handler, Func<RpcCall, byte[]?> respond)
    {
        if (!_handlerCalls.Remove(handler, out var invoke))
        {
            return; // A late or second reply: the call was already answered.
        }

        Context.Unwatch(handler);
        Context.Stop(handler);
        _handlerFailures.Remove(handler);
        invoke.ReplyTo.Tell(new RouterProtocol.InvocationCompleted(invoke.Call.Sequence, respond(invoke.Call)));
    }

    /// <summary>A handler actor of this router stopped; if its call is still open, it failed.</summary>
    private sealed record HandlerStopped(IActorRef Handler) : INoSerializationVerificationNeeded, IDeadLetterSuppression;
}

/// <summary>What every router needs to write responses.</summary>
/// <param name="SerializerOptions">Options for results and error data.</param>
/// <param name="DetailedErrors">Whether unexpected exceptions reveal their type and message.</param>
/// <param name="Services">The node's services, for the context of calls routed here from other nodes.</param>
internal sealed record RouterSettings(JsonSerializerOptions SerializerOptions, bool DetailedErrors, IServiceProvider Services);
