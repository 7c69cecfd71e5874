using System.Diagnostics;
using System.Text.Json;
using Akka.Actor;
using Akka.Event;
using Microsoft.Extensions.DependencyInjection;
using ActorRpc.Actors.Diagnostics;
using ActorRpc.Methods.Authorization;
using ActorRpc.Methods.Binding;
using ActorRpc.Methods.Definition;

namespace ActorRpc.Actors.Routing;

/// <summary>
/// The router of one method, created at start-up. Task-backed calls are started on the thread
/// pool and answer the session directly (a local session starts them itself, see
/// <see cref="MethodRoute"/>; here come those routed from other nodes); actor-backed calls each get a child handler actor,
/// supervised by <see cref="HandlerSupervisorStrategy"/>, whose reply or failure the router turns
/// into the call's response.
/// </summary>
/// <remarks>
/// <para>An UntypedActor with a switch: this is on every request's path.</para>
/// <para>
/// Cancellation: a local session owns the token of each call it sends here. A call routed from
/// another node gets a token source owned by this router instead, cancelled when that session
/// gives up on the call (<see cref="RouterProtocol.CancelInvocation"/>) and, as a backstop should
/// the session's node be lost, a little after HandlerTimeout. An actor handler's call is given up
/// by stopping the handler.
/// </para>
/// </remarks>
internal sealed class MethodRouterActor : UntypedActor
{
    private readonly RpcMethodDescriptor _method;
    private readonly CallOutcomes _outcomes;
    private readonly IServiceProvider _services;
    private readonly Dictionary<IActorRef, (RouterProtocol.Invoke Invoke, Activity? Span)> _handlerCalls = [];
    private readonly Dictionary<IActorRef, Exception> _handlerFailures = [];
    private readonly Dictionary<(IActorRef ReplyTo, long Sequence), CancellationTokenSource> _routedCalls = [];
    private readonly TimeSpan _routedCallTimeout;
    private RpcAuthorizer? _authorizer;

    public MethodRouterActor(RpcMethodDescriptor method, RouterSettings settings, CallOutcomes? outcomes)
    {
        _method = method;
        _services = settings.Services;
        _outcomes = outcomes ?? new CallOutcomes(Context.GetLogger(), settings);

        // Later than the session's own deadline, so the session answers -32001 and this only frees the handler.
        _routedCallTimeout = settings.HandlerTimeout == Timeout.InfiniteTimeSpan ? Timeout.InfiniteTimeSpan : settings.HandlerTimeout + RoutedCallGrace;
    }

    private static TimeSpan RoutedCallGrace => TimeSpan.FromSeconds(5);

    /// <param name="method">The method it routes.</param>
    /// <param name="settings">What every router needs.</param>
    /// <param name="outcomes">Shared with the sessions that start this method's task calls themselves (<see cref="MethodRoute"/>); by default the router's own.</param>
    public static Props Props(RpcMethodDescriptor method, RouterSettings settings, CallOutcomes? outcomes = null) =>
        Akka.Actor.Props.Create(() => new MethodRouterActor(method, settings, outcomes));

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
                DispatchRouted(remote);
                break;
            case RouterProtocol.CancelInvocation cancel:
                Cancel(cancel);
                break;
            case RouterProtocol.RoutedCallFinished finished:
                if (_routedCalls.Remove((finished.ReplyTo, finished.Sequence), out var source))
                {
                    source.Dispose();
                }

                break;
            // No lambdas in this switch: one capturing a case's variable makes the compiler allocate
            // its closure for every message, Invoke included (46 bytes per call; bench/Micro alloc-profile).
            case RpcReply reply:
                if (TryTakeHandlerCall(Sender, out var succeeded, out var succeededSpan))
                {
                    Complete(succeeded, _outcomes.Succeeded(succeeded.Call, new RpcValue(reply.Result, typeof(object)), succeededSpan));
                }

                break;
            case Status.Failure failure:
                if (TryTakeHandlerCall(Sender, out var failed, out var failedSpan))
                {
                    Complete(failed, _outcomes.Failed(failed.Call, failure.Cause, failedSpan));
                }

                break;
            case AuthorizationDecided decided:
                OnAuthorizationDecided(decided.Invoke, decided.Access, decided.Failure);
                break;
            case HandlerStopped stopped:
                var cause = _handlerFailures.Remove(stopped.Handler, out var failure2)
                    ? failure2
                    : new InvalidOperationException($"The handler actor of [{_method.Name}] stopped without replying.");
                if (TryTakeHandlerCall(stopped.Handler, out var stoppedCall, out var stoppedSpan))
                {
                    Complete(stoppedCall, _outcomes.Failed(stoppedCall.Call, cause, stoppedSpan));
                }

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
            case ActorMethodHandler handler when _method.Guard is { } guard:
                Authorize(guard, invoke);
                break;
            case ActorMethodHandler handler:
                StartHandlerActor(handler, invoke);
                break;
        }
    }

    /// <summary>
    /// Checks an actor method's guard before its handler actor starts (a task method's handler checks
    /// its own, <see cref="GuardedTaskMethodHandler"/>). Usually decided at once; a policy with an
    /// asynchronous handler answers through the mailbox, never by waiting here.
    /// </summary>
    private void Authorize(RpcGuard guard, RouterProtocol.Invoke invoke)
    {
        _authorizer ??= _services.GetRequiredService<RpcAuthorizer>();
        var access = _authorizer.AuthorizeAsync(invoke.Call.Context.User, guard, invoke.Call.Context);
        if (access.IsCompletedSuccessfully)
        {
            OnAuthorizationDecided(invoke, access.Result, failure: null);
            return;
        }

        access.AsTask().PipeTo(
            Self,
            success: decided => new AuthorizationDecided(invoke, decided, null),
            failure: exception => new AuthorizationDecided(invoke, RpcAccess.NotPermitted, exception));
    }

    private void OnAuthorizationDecided(RouterProtocol.Invoke invoke, RpcAccess access, Exception? failure)
    {
        if (invoke.Call.CancellationToken.IsCancellationRequested)
        {
            return; // The session gave the call up meanwhile and has answered it.
        }

        if (failure is null && access == RpcAccess.Allowed)
        {
            StartHandlerActor((ActorMethodHandler)_method.Handler, invoke);
            return;
        }

        // A refusal is an RpcException like any handler's; a policy that threw is an internal error, logged.
        // No handler started: the request is counted, but opens no handler span and no active handler.
        var error = failure ?? RpcAuthorizer.Refusal(access)!;
        Complete(invoke, _outcomes.FailedBeforeStart(invoke.Call, error));
    }

    private void DispatchRouted(RouterProtocol.RemoteInvoke remote)
    {
        if (_method.Handler is not TaskMethodHandler handler)
        {
            Dispatch(remote.ToInvoke(_services, CancellationToken.None));
            return;
        }

        var source = new CancellationTokenSource();
        if (_routedCallTimeout != Timeout.InfiniteTimeSpan)
        {
            source.CancelAfter(_routedCallTimeout);
        }

        _routedCalls[(remote.ReplyTo, remote.Sequence)] = source;
        var invoke = remote.ToInvoke(_services, source.Token);
        ThreadPool.UnsafeQueueUserWorkItem(new TaskInvocation(handler, invoke.Call, invoke.ReplyTo, _outcomes, Self), preferLocal: false);
    }

    private void Cancel(RouterProtocol.CancelInvocation cancel)
    {
        if (_routedCalls.Remove((cancel.ReplyTo, cancel.Sequence), out var source))
        {
            _ = source.CancelAsync(); // Not on this thread: the handler's continuations would run here.
            return;
        }

        foreach (var (handler, (invoke, span)) in _handlerCalls)
        {
            if (invoke.Call.Sequence == cancel.Sequence && invoke.ReplyTo.Equals(cancel.ReplyTo))
            {
                _handlerCalls.Remove(handler);
                _handlerFailures.Remove(handler);
                Context.Unwatch(handler);
                Context.Stop(handler);
                _outcomes.Abandoned(invoke.Call, span);
                return;
            }
        }
    }

    protected override void PostStop()
    {
        foreach (var source in _routedCalls.Values)
        {
            source.Cancel();
            source.Dispose();
        }

        base.PostStop();
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
            invoke.ReplyTo.Tell(new RouterProtocol.InvocationCompleted(invoke.Call.Sequence, _outcomes.Failed(invoke.Call, ex, _outcomes.Started(invoke.Call))));
            return;
        }

        if (!invoke.Call.Params.IsEmpty)
        {
            // Depth was checked on the whole message (ActorRpc:Limits:MaxJsonDepth) before dispatch.
            using var document = JsonDocument.Parse(invoke.Call.Params, new JsonDocumentOptions { MaxDepth = int.MaxValue });
            parameters = document.RootElement.Clone();
        }

        // The span covers the handler actor's whole call; it is not current on the actor's thread (see RpcTracing).
        var span = _outcomes.Started(invoke.Call);
        var child = Context.ActorOf(handler.Props);
        Context.WatchWith(child, new HandlerStopped(child));
        _handlerCalls[child] = (invoke, span);
        child.Tell(new RpcInvocation(invoke.Call.Context, parameters), Self);
    }

    /// <summary>Ends the handler actor of a call that is still open; false for a late or second reply (the call was already answered).</summary>
    private bool TryTakeHandlerCall(IActorRef handler, out RouterProtocol.Invoke invoke, out Activity? span)
    {
        if (!_handlerCalls.Remove(handler, out var entry))
        {
            (invoke, span) = (null!, null);
            return false;
        }

        Context.Unwatch(handler);
        Context.Stop(handler);
        _handlerFailures.Remove(handler);
        (invoke, span) = entry;
        return true;
    }

    private static void Complete(RouterProtocol.Invoke invoke, byte[]? frame) =>
        invoke.ReplyTo.Tell(new RouterProtocol.InvocationCompleted(invoke.Call.Sequence, frame));

    /// <summary>An actor method's guard decided (or threw) after the router moved on.</summary>
    private sealed record AuthorizationDecided(RouterProtocol.Invoke Invoke, RpcAccess Access, Exception? Failure)
        : INoSerializationVerificationNeeded, IDeadLetterSuppression;

    /// <summary>A handler actor of this router stopped; if its call is still open, it failed.</summary>
    private sealed record HandlerStopped(IActorRef Handler) : INoSerializationVerificationNeeded, IDeadLetterSuppression;
}

/// <summary>What every router needs to write responses.</summary>
/// <param name="SerializerOptions">Options for results and error data.</param>
/// <param name="DetailedErrors">Whether unexpected exceptions reveal their type and message.</param>
/// <param name="Services">The node's services, for the context of calls routed here from other nodes.</param>
/// <param name="HandlerTimeout">ActorRpc:Limits:HandlerTimeout, for calls routed here from other nodes.</param>
/// <param name="Metrics">Where calls are counted and timed.</param>
internal sealed record RouterSettings(JsonSerializerOptions SerializerOptions, bool DetailedErrors, IServiceProvider Services, TimeSpan HandlerTimeout, RpcMetrics Metrics);
