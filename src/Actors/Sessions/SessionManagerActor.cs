using Akka.Actor;

namespace ActorRpc.Actors.Sessions;

/// <summary>Parent of every session on the node: starts them and decides what a failing one means.</summary>
internal sealed class SessionManagerActor : ReceiveActor
{
    public SessionManagerActor(SessionDependencies dependencies)
    {
        Receive<SessionProtocol.StartSession>(start =>
        {
            var session = Context.ActorOf(SessionActor.Props(start.Info, start.Transport, dependencies), start.Info.SessionId);
            Sender.Tell(new SessionProtocol.SessionStarted(start, session));
        });
    }

    public static Props Props(SessionDependencies dependencies) =>
        Akka.Actor.Props.Create(() => new SessionManagerActor(dependencies));

    /// <summary>
    /// A session that throws is stopped, never restarted: its in-flight calls and half-collected
    /// batches cannot be rebuilt, and a restarted session would answer some requests twice and
    /// others never. Stopping closes its connection with 1011; every other session carries on.
    /// </summary>
    protected override SupervisorStrategy SupervisorStrategy() => new OneForOneStrategy(static _ => Directive.Stop, loggingEnabled: true);
}
