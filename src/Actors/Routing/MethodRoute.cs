using Akka.Actor;
using ActorRpc.Methods.Definition;

namespace ActorRpc.Actors.Routing;

/// <summary>Where a session sends the calls of one method.</summary>
/// <param name="Router">
/// The method's router: a <see cref="MethodRouterActor"/> where this node runs the method, a
/// <see cref="RemoteMethodActor"/> where nodes of another role do.
/// </param>
/// <param name="LocalTask">
/// Set when this node runs the method as a task. The session then starts each call on the thread
/// pool itself, as the router would: for such a call the router adds nothing but a second mailbox
/// on the request's path, and since one router serves every session's calls of its method, that
/// mailbox would cap the method at what one thread can dispatch. Actor-backed methods and methods
/// of other nodes always go through the router.
/// </param>
internal sealed record MethodRoute(IActorRef Router, LocalTaskMethod? LocalTask = null)
{
    /// <summary>
    /// Starts a call of this method; the session learns its end from one
    /// <see cref="RouterProtocol.InvocationCompleted"/>, or, for a local task given a
    /// <paramref name="completion"/>, from that. A local task holds <paramref name="place"/> until its handler returns.
    /// </summary>
    public void Start(RpcCall call, IActorRef session, ICallCompletion? completion = null, IHandlerPlace? place = null)
    {
        if (LocalTask is { } local)
        {
            // The global queue, first in first out, so one connection's calls start in the order they
            // arrived. A thread's local queue is last in first out: a burst of pipelined requests read
            // in one session turn started in reverse (the load bench counted pipelined publishes out
            // of order); it saved no CPU measurable on this machine.
            ThreadPool.UnsafeQueueUserWorkItem(new TaskInvocation(local.Handler, call, session, local.Outcomes, completion: completion, place: place), preferLocal: false);
        }
        else
        {
            Router.Tell(new RouterProtocol.Invoke(call, session));
        }
    }
}

/// <summary>A task-backed method this node runs, and the outcomes its router writes with (so both paths answer and log alike).</summary>
internal sealed record LocalTaskMethod(TaskMethodHandler Handler, CallOutcomes Outcomes);
