using Akka.Actor;
using Akka.Actor.Internal;

namespace ActorRpc.Actors.Routing;

/// <summary>
/// How a router supervises its per-call handler actors: any failure stops the actor. A handler
/// actor lives for one call, the message that crashed it is that call, and a restart would only
/// wait for a reply that will never come; so the router answers the call with an error instead
/// (<paramref name="onFailure"/> hands it the cause) and the actor is gone. Other calls, the router,
/// the session and the node are untouched.
/// </summary>
internal sealed class HandlerSupervisorStrategy(Action<IActorRef, Exception> onFailure)
    : OneForOneStrategy(static _ => Directive.Stop, loggingEnabled: false)
{
    public override void ProcessFailure(
        IActorContext context,
        bool restart,
        IActorRef child,
        Exception cause,
        ChildRestartStats stats,
        IReadOnlyCollection<ChildRestartStats> children)
    {
        // Runs on the router's own thread, before the child's Terminated, so the router can keep the cause.
        onFailure(child, cause is ActorInitializationException { InnerException: { } inner } ? inner : cause);
        base.ProcessFailure(context, restart, child, cause, stats, children);
    }
}
