using Akka.Actor;
using Akka.Event;
using ActorRpc.Actors.Sessions;

namespace ActorRpc.Actors.ClientCalls;

// One call (or notification) to a client, from the caller's node, as a short-lived actor:
//
//   state       on                                   -> what happens
//   Resolving   ActorIdentity with the session       -> watch it, tell it CallClient; Waiting
//   Resolving   ActorIdentity without one            -> Gone ("no such session"), stop
//   Resolving   no identity within ResolveTimeout    -> Gone (its node does not answer), stop
//   Waiting     ClientCallAnswer                     -> complete with it, stop
//   Waiting     Terminated (the session, or its node) -> Gone, stop
//   Waiting     no answer within AnswerTimeout        -> TimedOut, stop (an answer lost on the way, say from a newer node)
//   any         Abandon (the caller's token)         -> tell the session CancelClientCall (if known), stop
//
// A temporary actor rather than an Ask: it can watch the session, so a node that leaves the cluster
// fails its calls at once instead of leaving them to a timeout (or for ever, with no timeout).

/// <summary>
/// Carries one <see cref="ClientCallProtocol.CallClient"/> to its session, on whichever node, and
/// completes the caller's task with the session's one answer, or with <see cref="ClientCallOutcome.Gone"/>
/// when the session does not exist or ends first. Never blocks: the caller awaits the task.
/// </summary>
internal sealed class ClientCallActor : UntypedActor, IWithTimers
{
    private readonly ActorSelection _session;
    private readonly string _sessionId;
    private readonly ClientCallProtocol.CallClient _call;
    private readonly TaskCompletionSource<ClientCallProtocol.ClientCallAnswer> _answer;
    private readonly TimeSpan _resolveTimeout;
    private readonly TimeSpan _answerTimeout;
    private IActorRef? _target;

    public ClientCallActor(
        ActorSelection session,
        string sessionId,
        ClientCallProtocol.CallClient call,
        TaskCompletionSource<ClientCallProtocol.ClientCallAnswer> answer,
        TimeSpan resolveTimeout,
        TimeSpan answerTimeout)
    {
        _answerTimeout = answerTimeout;
        _session = session;
        _sessionId = sessionId;
        _call = call;
        _answer = answer;
        _resolveTimeout = resolveTimeout;
    }

    public ITimerScheduler Timers { get; set; } = null!;

    /// <param name="session">The session's actor, on its node.</param>
    /// <param name="sessionId">The session's id, for messages.</param>
    /// <param name="call">What to send it.</param>
    /// <param name="answer">Completed once, with the answer or why there is none.</param>
    /// <param name="resolveTimeout">How long the session's node may take to say whether the session exists.</param>
    /// <param name="answerTimeout">
    /// How long to wait for the session's answer once it is found (<see cref="Timeout.InfiniteTimeSpan"/>
    /// for ever): longer than the session's own ClientCallTimeout, so it only ends calls whose answer got lost.
    /// </param>
    public static Props Props(
        ActorSelection session,
        string sessionId,
        ClientCallProtocol.CallClient call,
        TaskCompletionSource<ClientCallProtocol.ClientCallAnswer> answer,
        TimeSpan resolveTimeout,
        TimeSpan answerTimeout) =>
        Akka.Actor.Props.Create(() => new ClientCallActor(session, sessionId, call, answer, resolveTimeout, answerTimeout));

    protected override void PreStart()
    {
        _session.Tell(new Identify(null), Self);
        Timers.StartSingleTimer(ResolveTimedOut.Instance, ResolveTimedOut.Instance, _resolveTimeout);
    }

    protected override void OnReceive(object message)
    {
        switch (message)
        {
            case ActorIdentity { Subject: null }:
                Finish(Gone($"There is no session {_sessionId} (its connection closed, or it never existed)."));
                break;
            case ActorIdentity identity when _target is null:
                Timers.Cancel(ResolveTimedOut.Instance);
                _target = identity.Subject;
                Context.Watch(_target);
                _target.Tell(_call, Self);
                if (_answerTimeout != Timeout.InfiniteTimeSpan)
                {
                    Timers.StartSingleTimer(AnswerTimedOut.Instance, AnswerTimedOut.Instance, _answerTimeout);
                }

                break;
            case ClientCallProtocol.ClientCallAnswer answer:
                Finish(answer);
                break;
            case Terminated:
                Finish(Gone($"The connection of session {_sessionId} closed (or its node left the cluster) before its client answered."));
                break;
            case AnswerTimedOut:
                Finish(ClientCallProtocol.ClientCallAnswer.Because(
                    ClientCallOutcome.TimedOut, $"No answer came from session {_sessionId} within {_answerTimeout}."));
                break;
            case ResolveTimedOut when _target is null:
                Finish(Gone($"The node of session {_sessionId} did not answer within {_resolveTimeout}."));
                break;
            case Abandon:
                // The caller's task is cancelled already; the session forgets the call and tells its client.
                _target?.Tell(ClientCallProtocol.CancelClientCall.Instance, Self);
                Context.Stop(Self);
                break;
            default:
                Unhandled(message);
                break;
        }
    }

    protected override void PostStop()
    {
        // Stopped before any answer (the actor system shuts down): the caller must not wait for ever.
        _answer.TrySetResult(Gone($"The call to session {_sessionId} was abandoned: the actor system is stopping."));
        base.PostStop();
    }

    private void Finish(ClientCallProtocol.ClientCallAnswer answer)
    {
        _answer.TrySetResult(answer);
        Context.Stop(Self);
    }

    private static ClientCallProtocol.ClientCallAnswer Gone(string detail) => ClientCallProtocol.ClientCallAnswer.Because(ClientCallOutcome.Gone, detail);

    /// <summary>The caller stopped waiting (its cancellation token fired).</summary>
    public sealed class Abandon : INoSerializationVerificationNeeded, IDeadLetterSuppression
    {
        private Abandon()
        {
        }

        public static Abandon Instance { get; } = new();
    }

    /// <summary>The session did not answer in time, not even with its own timeout (the answer was lost).</summary>
    private sealed class AnswerTimedOut : INoSerializationVerificationNeeded, IDeadLetterSuppression
    {
        private AnswerTimedOut()
        {
        }

        public static AnswerTimedOut Instance { get; } = new();
    }

    /// <summary>The session's node did not say whether the session exists in time.</summary>
    private sealed class ResolveTimedOut : INoSerializationVerificationNeeded, IDeadLetterSuppression
    {
        private ResolveTimedOut()
        {
        }

        public static ResolveTimedOut Instance { get; } = new();
    }
}
