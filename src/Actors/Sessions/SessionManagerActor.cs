using Akka.Actor;
using Akka.Event;

namespace ActorRpc.Actors.Sessions;

/// <summary>
/// Parent of every session on the node: starts them, decides what a failing one means, and counts
/// the open ones (it sees every start and, by watching, every end, whatever the cause).
/// </summary>
internal sealed class SessionManagerActor : ReceiveActor
{
    public SessionManagerActor(SessionDependencies dependencies)
    {
        Receive<SessionProtocol.StartSession>(start =>
        {
            var props = SessionActor.Props(start.Info, start.Transport, dependencies).WithMailbox(SessionMailbox.Id);
            var session = Context.ActorOf(props, start.Info.SessionId);
            dependencies.Metrics.SessionOpened(start.Info.Transport);
            Context.WatchWith(session, new SessionEnded(start.Info.Transport));
            Sender.Tell(new SessionProtocol.SessionStarted(start, session));
        });
        Receive<SessionEnded>(ended => dependencies.Metrics.SessionClosed(ended.Transport));
    }

    public static Props Props(SessionDependencies dependencies) =>
        Akka.Actor.Props.Create(() => new SessionManagerActor(dependencies));

    /// <summary>
    /// A session that throws is stopped, never restarted: its in-flight calls and half-collected
    /// batches cannot be rebuilt, and a restarted session would answer some requests twice and
    /// others never. Stopping closes its connection with 1011; every other session carries on.
    /// </summary>
    protected override SupervisorStrategy SupervisorStrategy() => new OneForOneStrategy(static _ => Directive.Stop, loggingEnabled: true);

    private sealed record SessionEnded(string Transport) : INoSerializationVerificationNeeded, IDeadLetterSuppression;
}
