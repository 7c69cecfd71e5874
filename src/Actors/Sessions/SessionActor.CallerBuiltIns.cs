using System.Diagnostics;
using Akka.Actor;
using Akka.Event;
using ActorRpc.Actors.Diagnostics;
using ActorRpc.Actors.Protocol;
using ActorRpc.Methods.Errors;

namespace ActorRpc.Actors.Sessions;

/// <summary>
/// The built-ins whose answer depends on who calls (<see cref="GuardedBuiltIns"/>: a guarded
/// <c>subscribe</c> or <c>get_topics</c>, <c>authenticate</c>), decided off the session's thread,
/// and the built-ins about the connection's state that wait their turn behind them (<see cref="BuiltInTurns"/>).
/// </summary>
internal sealed partial class SessionActor
{
    /// <summary>
    /// Starts a built-in answered later, tracked like a routed call (it holds a handler place, may
    /// time out or be cancelled): one that waits for the application's authorization or
    /// authentication (<see cref="GuardedBuiltIns"/>) is decided off this thread and answered in
    /// <see cref="OnGuardedBuiltInDecided"/>; with <paramref name="waitTurn"/>, one about the
    /// connection's state that arrived while another is being decided waits its turn behind it (a
    /// subscribe then an unsubscribe, pipelined: the unsubscribe must have the last word).
    /// </summary>
    private Dispatched StartLaterBuiltIn(in JsonRpcEntry entry, BatchResponse? batch, Activity? span, long messageBytes, bool waitTurn)
    {
        if (!_dependencies.NodeHandlers.TryAcquire())
        {
            _dependencies.Metrics.RequestRefused(RpcMetrics.ServerBusy, entry.IsNotification);
            return Answer(entry, RpcError.ServerBusy);
        }

        var pending = Track(entry, batch, router: null, handlerRunsHere: false, span, messageBytes, _dependencies.Metrics.MethodLabel(entry.Method));
        var builtIn = new WaitingBuiltIn(pending, entry.Method!, entry.Params);
        if (waitTurn)
        {
            _turns.Wait(builtIn);
        }
        else
        {
            Decide(builtIn);
        }

        return new Dispatched(null, null, Routed: true);
    }

    /// <summary>Decides <paramref name="builtIn"/> off this thread for the connection's user as it is now (<see cref="_identityVersion"/>).</summary>
    private void Decide(WaitingBuiltIn builtIn)
    {
        _turns.Deciding(builtIn.Call.Sequence);
        var (version, user) = (_identityVersion, CurrentUser());
        GuardedBuiltIns.DecideAsync(builtIn.Method, builtIn.Params, user, _dependencies, builtIn.Call.Cancellation.Token).PipeTo(
            Self,
            success: decision => new GuardedBuiltInDecided(builtIn, version, user, decision, null),
            failure: exception => new GuardedBuiltInDecided(builtIn, version, user, null, exception));
    }

    /// <summary>Carries out the built-ins that waited their turn, in order, until one needs a decision again.</summary>
    private void RunWaiting()
    {
        while (_turns.TryNext(out var next))
        {
            if (GuardedBuiltIns.Applies(next.Method, _dependencies.Topics, _info.SingleExchange))
            {
                Decide(next);
                continue;
            }

            if (_inFlight is null || !_inFlight.TryTake(next.Call.Sequence, out var call))
            {
                continue;
            }

            var answer = CarryOut(AnswerBuiltIn(next.Method, next.Params, decision: null)!, call.Id);
            Answered(call, answer);
        }
    }

    private void OnGuardedBuiltInDecided(GuardedBuiltInDecided decided)
    {
        var builtIn = decided.BuiltIn;
        if (!_turns.Ended(builtIn.Call.Sequence))
        {
            return; // Its call was given up (timed out, cancelled) and answered, and the line moved on.
        }

        // The user changed (authenticate), or its token's lifetime ended before the expiry timer said so.
        var userChanged = decided.IdentityVersion != _identityVersion || !ReferenceEquals(decided.User, CurrentUser());
        if (userChanged && decided.Decision is GuardDecision.Subscribe or GuardDecision.VisibleTopics)
        {
            // The connection's user changed (its token expired, or authenticate) while this was decided:
            // a subscribe or a listing granted to the previous user must not be carried out for this one.
            Decide(builtIn);
            return;
        }

        if (_inFlight is not null && _inFlight.TryTake(builtIn.Call.Sequence, out var call))
        {
            CarryOutDecision(decided, call);
        }

        RunWaiting();
    }

    private void CarryOutDecision(GuardedBuiltInDecided decided, PendingCall call)
    {
        var method = decided.BuiltIn.Method;
        Dispatched answer;
        switch (decided.Decision)
        {
            case GuardDecision.Authenticated { Identity: { } identity }:
                ChangeIdentity(identity);
                if (Log.IsDebugEnabled)
                {
                    Log.Debug("Session [{0}] authenticated as [{1}]", _info.SessionId, ClientText.Bound(AuthenticateAnswer.NameOf(identity.User) ?? "(no name)"));
                }

                answer = new Dispatched(
                    call.IsNotification ? null : JsonRpcResponseWriter.Result(call.Id, AuthenticateAnswer.Of(identity), _dependencies.SerializerOptions),
                    null,
                    Routed: false);
                break;
            case GuardDecision.Authenticated { Error: { } error }:
                answer = call.IsNotification ? new Dispatched(null, error.Code, false) : new Dispatched(ErrorFrame(call.Id, error), error.Code, false);
                break;
            case { } decision:
                answer = CarryOut(AnswerBuiltIn(method, decided.BuiltIn.Params, decision)!, call.Id);
                break;
            default:
                // A policy or authentication handler of the application threw (or a policy name is unknown).
                Log.Error(decided.Failure, "Session [{0}] could not decide [{1}], request [{2}]", _info.SessionId, method, RequestIdText(call.Id));
                answer = new Dispatched(call.IsNotification ? null : ErrorFrame(call.Id, RpcError.InternalError), RpcError.InternalError.Code, false);
                break;
        }

        Answered(call, answer);
    }

    /// <summary>A built-in the session carried out: counted, its span ended with its answer's code, its frame written.</summary>
    private void Answered(PendingCall call, Dispatched answer)
    {
        _dependencies.Metrics.RequestHandled(call.BuiltInLabel!, answer.ErrorCode, call.Started);
        RpcTracing.Finish(call.Span, answer.ErrorCode);
        Finish(call, Reply(call, answer.Frame));
    }

    /// <summary>The built-in's answer given the session's state now (<see cref="SessionBuiltIns.Answer"/>); null for a method that is no built-in.</summary>
    private BuiltInAnswer? AnswerBuiltIn(string method, ReadOnlyMemory<byte> parameters, GuardDecision? decision) =>
        SessionBuiltIns.Answer(
            method,
            parameters,
            _subscriptions,
            _dependencies.Topics,
            _dependencies.Limits.MaxSubscriptionsPerSession,
            _dependencies.PatternTopics,
            _info.SingleExchange,
            decision);

    /// <summary>A guarded built-in's decision (or the exception its deciding threw), back on the session's thread.</summary>
    private sealed record GuardedBuiltInDecided(
        WaitingBuiltIn BuiltIn, int IdentityVersion, System.Security.Claims.ClaimsPrincipal? User, GuardDecision? Decision, Exception? Failure)
        : INoSerializationVerificationNeeded, IDeadLetterSuppression;
}
