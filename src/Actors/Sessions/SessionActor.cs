using System.Collections.Immutable;
using System.Diagnostics;
using Akka.Actor;
using Akka.Event;
using ActorRpc.Actors.Diagnostics;
using ActorRpc.Actors.Protocol;
using ActorRpc.Actors.Routing;
using ActorRpc.Actors.Topics;
using ActorRpc.Methods.Errors;

namespace ActorRpc.Actors.Sessions;

// The session's life, in SessionState (one field; an UntypedActor with a switch rather than Become,
// since every request passes through here twice and each state differs only in what it may still write):
//
//   state      on                                              -> next       what happens
//   Open       InboundMessage (WebSocket)                      -> Open       parse; answer at once or dispatch
//   Open       InboundMessage (HTTP: its one message)          -> Answering  parse; answer at once or dispatch
//   Answering  InboundMessage                                  -> Answering  dropped: one message per exchange
//   Answering  its response written, or nothing to answer      -> Answered   transport.Complete(): the answer is known;
//                                                                            the endpoint writes it (200 / 204) once
//                                                                            the session has stopped
//   Answered   no call left in flight (now, or when one ends)  -> Stopping   notifications may outlive the answer
//   Open       Deliver refused (MaxOutboundQueue, MaxOutbound- -> Stopping   close 1008 naming that setting
//              Bytes or MaxNodeBufferedBytes), policy Disconnect
//   any        ConnectionClosed                                -> Stopping
//   Stopping   anything                                        -> Stopping   nothing is written any more
//
// In Open, Answering and Answered the session takes InvocationCompleted and CheckDeadlines, and gives
// calls up ($/cancelRequest, HandlerTimeout). It also takes, in any of those states:
//   GuardedBuiltInDecided   a built-in that depends on the caller (a guarded subscribe or get_topics,
//                           authenticate) was decided off its thread: carried out, then the built-ins
//                           about the connection's state that waited their turn (BuiltInTurns)
//   IdentityExpired         the user's token lifetime ended: calls run as anonymous from now on
//   SubscriptionsRechecked  after the user changed: guarded subscriptions it may no longer hold end
//   CallClient              a call from the server to the client (SessionActor.ClientCalls.cs): written
//                           in Open on a WebSocket with an id "s:n" and held until the client's response
//                           (an inbound response object, never answered), ClientCallTimedOut, or
//                           CancelClientCall; refused at once in any other state. PostStop fails what still waits.
// Deliver writes only on an Open WebSocket. Stopping means
// Context.Stop was asked for: PostStop abandons what still runs (giving back its handlers' places),
// and a session that stops without passing through Stopping failed, so it closes its connection with 1011.

/// <summary>
/// One client connection (or one HTTP exchange). Parses and validates each message, answers what
/// can be answered at once (parse errors, invalid requests, unknown methods, the built-ins of
/// <see cref="SessionBuiltIns"/>), dispatches the rest to method routers without waiting, and
/// writes each response, or each batch's array once complete, through its <see cref="ISessionTransport"/>.
/// Its calls run as the connection's user (<see cref="SessionIdentity"/>) until that user's token
/// expires; built-ins that depend on who calls are decided off its thread (<see cref="GuardedBuiltIns"/>).
/// </summary>
/// <remarks>
/// <para>
/// Every dispatched call is a <see cref="PendingCall"/> with its own token source, so it can be
/// given up alone: when the client sends <c>$/cancelRequest</c> (-32800), when it outlives
/// HandlerTimeout (-32001; one periodic check per session while calls run, not a timer per call),
/// or when the session stops. Giving up answers the call here at once, cancels its token, and tells
/// its router, so the handler's late result, if any, is dropped: each request gets one reply.
/// </para>
/// <para>
/// Limits, in the order an entry meets them: a WebSocket's rate (MessagesPerSecond, -32029) is
/// decided before the built-ins are answered; the node's handlers (MaxNodeHandlers, -32000) after
/// the method is found, so an unknown method is still -32601; a call holds its handler place until it
/// leaves <see cref="CallsInFlight"/>, which gives it back, and <see cref="PostStop"/> abandons what
/// still runs, so a stopped session holds no place.
/// </para>
/// <para>
/// A single call of a local task method on a WebSocket is answered by its handler's thread
/// (<see cref="DirectCompletions"/>) rather than through this mailbox; <see cref="CallsInFlight"/>,
/// shared with it, makes sure only one side answers.
/// </para>
/// <para>
/// Every <see cref="ISessionTransport.AddInFlight"/>, <see cref="ISessionTransport.Release"/> and
/// <see cref="ISessionTransport.Reply"/> here follows the in-flight accounting written once in
/// <see cref="ISessionTransport"/>'s remarks.
/// </para>
/// </remarks>
internal sealed partial class SessionActor : UntypedActor, IWithTimers
{
    private readonly SessionInfo _info;
    private readonly ISessionTransport _transport;
    private readonly SessionDependencies _dependencies;

    // Created when first needed: most sessions sit idle most of the time, and at 10,000 connections
    // per node every byte an idle session holds counts (issue #5). The empty set is shared.
    private CallsInFlight? _inFlight;
    private DirectCompletions? _directCompletions;
    private MessageRateLimit? _rateLimit;
    private ImmutableSortedSet<string> _subscriptions = SessionBuiltIns.NoSubscriptions;
    private SessionIdentity _identity;
    private int _identityVersion;
    private bool _recheckRunning;
    private bool _recheckAgain;

    // The built-ins about the connection's own state are carried out in the order they arrived.
    private readonly BuiltInTurns _turns = new();
    private ILoggingAdapter? _log;
    private readonly long _timeoutMs;
    private long _nextSequence;
    private long _droppedNotifications;
    private bool _deadlineCheckRunning;
    private SessionState _state;

    public SessionActor(SessionInfo info, ISessionTransport transport, SessionDependencies dependencies)
    {
        _info = info;
        _transport = transport;
        _dependencies = dependencies;
        _identity = info.Identity;
        var timeout = dependencies.Limits.HandlerTimeout;
        _timeoutMs = timeout == Timeout.InfiniteTimeSpan ? long.MaxValue : (long)timeout.TotalMilliseconds;
    }

    /// <summary>Where the session is in its life; see the table at the top of this file.</summary>
    private enum SessionState
    {
        Open,
        Answering,
        Answered,
        Stopping,
    }

    public ITimerScheduler Timers { get; set; } = null!;

    private ILoggingAdapter Log => _log ??= Context.GetLogger();

    private int InFlightCount => _inFlight?.Count ?? 0;

    private CallsInFlight InFlight => _inFlight ??= new CallsInFlight();

    // WebSocket sessions only: an HTTP exchange ends when its last call does, which the session itself must see.
    private DirectCompletions? DirectCompletions =>
        _info.SingleExchange ? null : _directCompletions ??= new DirectCompletions(InFlight, _transport, _dependencies.SerializerOptions, _dependencies.Limits.MaxResponseSize);

    public static Props Props(SessionInfo info, ISessionTransport transport, SessionDependencies dependencies) =>
        Akka.Actor.Props.Create(() => new SessionActor(info, transport, dependencies));

    protected override void OnReceive(object message)
    {
        switch (message)
        {
            case RouterProtocol.InvocationCompleted completed:
                OnCompleted(completed);
                break;
            case SessionProtocol.Deliver deliver:
                OnDeliver(deliver.Frame);
                break;
            case SessionProtocol.InboundMessage inbound:
                OnInbound(inbound.Payload, inbound.TraceParent);
                break;
            case CheckDeadlines:
                OnCheckDeadlines();
                break;
            case GuardedBuiltInDecided decided:
                OnGuardedBuiltInDecided(decided);
                break;
            case IdentityExpired:
                OnIdentityExpired();
                break;
            case SubscriptionsRechecked rechecked:
                OnSubscriptionsRechecked(rechecked);
                break;
            case SessionProtocol.ConnectionClosed:
                StopSession();
                break;
            case ClientCallProtocol.CallClient call:
                OnCallClient(call);
                break;
            case ClientCallTimedOut timedOut:
                OnClientCallTimedOut(timedOut.Id);
                break;
            case ClientCallProtocol.CancelClientCall:
                OnCancelClientCall();
                break;
            default:
                Unhandled(message);
                break;
        }
    }

    protected override void PreStart()
    {
        WatchIdentity();
        base.PreStart();
    }

    protected override void PostStop()
    {
        var abandoned = _inFlight?.AbandonAll() ?? []; // Their handlers' places are given back there.
        foreach (var call in abandoned)
        {
            call.Router?.Tell(new RouterProtocol.CancelInvocation(call.Sequence, Self));
        }

        _rateLimit?.Dispose();
        AbandonClientCalls();

        if (_state != SessionState.Stopping)
        {
            // Only a fault ends a session without StopSession; don't leave its client hanging.
            _transport.Close(SessionCloseReason.SessionFailed);
        }

        base.PostStop();
    }

    private void OnInbound(byte[] payload, ActivityContext traceParent)
    {
        if (_state != SessionState.Open)
        {
            return;
        }

        if (_info.SingleExchange)
        {
            _state = SessionState.Answering;
        }

        var started = Stopwatch.GetTimestamp();
        var limits = _dependencies.Limits;
        long bytes = payload.Length; // In flight until the message's last entry settles; see ISessionTransport.
        var message = JsonRpcParser.Parse(payload, limits.MaxBatchSize, limits.MaxJsonDepth, _dependencies.Compatibility);
        switch (message.Kind)
        {
            case JsonRpcMessageKind.ParseError:
                _dependencies.Metrics.RequestHandled(RpcMetrics.InvalidRequest, RpcError.ParseError.Code, started);
                Respond(ErrorFrame(default, RpcError.ParseError with { Data = message.Error }), requests: 1, bytes);
                break;
            case JsonRpcMessageKind.InvalidBatch:
                var invalidBatch = RpcError.InvalidRequest(message.Error!);
                _dependencies.Metrics.RequestHandled(RpcMetrics.InvalidRequest, invalidBatch.Code, started);
                Respond(ErrorFrame(default, invalidBatch), requests: 1, bytes);
                break;
            case JsonRpcMessageKind.Single when message.Single.IsResponse:
                OnClientResponse(message.Single);
                _transport.Release(1, bytes); // Never answered; see ISessionTransport.
                NothingToAnswer();
                break;
            case JsonRpcMessageKind.Single:
                var immediate = SafeDispatch(message.Single, batch: null, traceParent, out var dispatched, bytes);
                if (immediate is not null)
                {
                    Respond(ResponseSizeLimit.Apply(immediate, message.Single.Id, limits.MaxResponseSize, _dependencies.SerializerOptions), requests: 1, bytes);
                }
                else
                {
                    if (!dispatched)
                    {
                        _transport.Release(1, bytes); // Done here without a reply (a notification); see ISessionTransport.
                    }

                    if (message.Single.IsNotification)
                    {
                        NothingToAnswer(); // HTTP: 204 at once; the notification's handler runs on.
                    }
                }

                break;
            case JsonRpcMessageKind.Batch:
                var batch = new BatchResponse(limits.MaxResponseSize, bytes);
                var entries = message.Batch!;
                _transport.AddInFlight(entries.Length - 1); // The message counted one; see ISessionTransport.
                var finished = 0;
                foreach (var entry in entries)
                {
                    if (entry.IsResponse)
                    {
                        OnClientResponse(entry); // Never answered: done here, like a notification.
                        finished++;
                    }
                    else if (SafeDispatch(entry, batch, traceParent, out var entryDispatched, messageBytes: 0) is { } error)
                    {
                        batch.AddImmediate(error);
                    }
                    else if (!entryDispatched)
                    {
                        finished++;
                    }
                }

                _transport.Release(finished); // Notifications done here; the batch's reply settles the rest.
                if (batch.Seal())
                {
                    RespondToBatch(batch);
                }

                break;
        }
    }

    /// <summary>
    /// Dispatches one entry, and if that throws (our bug, met through some client input), answers
    /// that entry with an internal error instead of failing the session and every call it holds.
    /// Opens the request's span; one answered here is counted and its span ended here, a routed one
    /// is counted by the node that runs it and its span ends when the session answers it.
    /// <paramref name="routed"/> says whether a handler now runs for it (false: nothing more to do).
    /// </summary>
    /// <paramref name="messageBytes"/> is a single call's message length, which its settlement releases (0 in a batch).
    private byte[]? SafeDispatch(in JsonRpcEntry entry, BatchResponse? batch, ActivityContext traceParent, out bool routed, long messageBytes)
    {
        var started = Stopwatch.GetTimestamp();
        var method = entry.Invalid is not null ? RpcMetrics.InvalidRequest : _dependencies.Metrics.MethodLabel(entry.Method);
        var span = RpcTracing.StartRequest(method, entry.Id, _info.SessionId, _info.Transport, traceParent);
        Dispatched dispatched;
        try
        {
            dispatched = Dispatch(entry, batch, span, messageBytes);
        }
#pragma warning disable CA1031 // Deliberately broad: a client's message must never end its session.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            Log.Error(ex, "Session [{0}] could not dispatch [{1}], request [{2}]", _info.SessionId, method, RequestIdText(entry.Id));
            dispatched = Answer(entry, RpcError.InternalError);
        }

        routed = dispatched.Routed;
        if (!routed)
        {
            _dependencies.Metrics.RequestHandled(method, dispatched.ErrorCode, started);
            RpcTracing.Finish(span, dispatched.ErrorCode);
        }

        return dispatched.Frame;
    }

    /// <summary>Starts one entry; its response when it is known at once.</summary>
    private Dispatched Dispatch(in JsonRpcEntry entry, BatchResponse? batch, Activity? span, long messageBytes)
    {
        if (entry.Invalid is not null)
        {
            // Answered even without an id: an invalid request is no notification.
            var invalid = RpcError.InvalidRequest(entry.Invalid);
            return new Dispatched(ErrorFrame(entry.Id, invalid), invalid.Code, Routed: false);
        }

        if (entry.Method != CancelRequest.MethodName && !TryTakeRateToken(out var retryAfter))
        {
            // Answered here, and the socket stays open: a client past its rate slows only itself.
            _dependencies.Metrics.RequestRefused(RpcMetrics.RateLimited, entry.IsNotification);
            return Answer(entry, RpcError.TooManyRequests(retryAfter));
        }

        var method = entry.Method!;
        if (_turns.IsDeciding && GuardedBuiltIns.KeepsOrder(method))
        {
            return StartLaterBuiltIn(entry, batch, span, messageBytes, waitTurn: true);
        }

        if (GuardedBuiltIns.Applies(method, _dependencies.Topics, _info.SingleExchange))
        {
            return StartLaterBuiltIn(entry, batch, span, messageBytes, waitTurn: false);
        }

        var builtIn = AnswerBuiltIn(method, entry.Params, decision: null);
        if (builtIn is not null)
        {
            return CarryOut(builtIn, entry.Id);
        }

        if (!_dependencies.Directory.TryGetRoute(method, out var route))
        {
            return Answer(entry, RpcError.MethodNotFound(method));
        }

        if (!_dependencies.NodeHandlers.TryAcquire())
        {
            // The node runs ActorRpc:Limits:MaxNodeHandlers handlers already. A place taken goes back once the call has left CallsInFlight and, for a task run here, its handler has returned (PendingCall).
            _dependencies.Metrics.RequestRefused(RpcMetrics.ServerBusy, entry.IsNotification);
            return Answer(entry, RpcError.ServerBusy);
        }

        // A task the session starts itself has only its token to cancel; other calls have a router to tell.
        var router = route.LocalTask is null ? route.Router : null;
        var pending = Track(entry, batch, router, handlerRunsHere: route.LocalTask is not null, span, messageBytes);
        var context = new RpcContext(_info.SessionId, _info.RemoteAddress, _info.Transport, method, entry.Id, _dependencies.Services, CurrentUser());

        var call = new RpcCall(pending.Sequence, method, entry.Id, entry.Params, context, pending.Cancellation.Token) { TraceParent = span?.Context ?? default };
        route.Start(call, Self, batch is null ? DirectCompletions : null, pending);
        return new Dispatched(null, null, Routed: true);
    }

    /// <summary>
    /// Makes a dispatched entry a call in flight: numbered, with its own token and deadline, counted
    /// in its batch, and watched by the periodic deadline check. Its node-handler place is already taken.
    /// </summary>
    private PendingCall Track(
        in JsonRpcEntry entry, BatchResponse? batch, IActorRef? router, bool handlerRunsHere, Activity? span, long messageBytes, string? builtInLabel = null)
    {
        var sequence = ++_nextSequence;
        var cancellation = CallsInFlight.NewToken();
        var deadline = _timeoutMs == long.MaxValue ? long.MaxValue : Environment.TickCount64 + _timeoutMs;
        var pending = new PendingCall(sequence, entry.Id, batch, router, cancellation, deadline, span)
        {
            MessageBytes = messageBytes,
            Handlers = _dependencies.NodeHandlers,
            HandlerRunsHere = handlerRunsHere,
            BuiltInLabel = builtInLabel,
            Started = builtInLabel is null ? 0 : Stopwatch.GetTimestamp(),
        };
        InFlight.Add(pending);
        if (!entry.IsNotification)
        {
            batch?.Expect();
        }
        else
        {
            batch?.ExpectNotification();
        }

        if (deadline != long.MaxValue && !_deadlineCheckRunning)
        {
            _deadlineCheckRunning = true;
            Timers.StartPeriodicTimer(CheckDeadlines.Instance, CheckDeadlines.Instance, DeadlineCheckInterval(_timeoutMs));
        }

        return pending;
    }

    /// <summary>The answer to an entry that fails here: an error frame, or nothing for a notification.</summary>
    private Dispatched Answer(in JsonRpcEntry entry, RpcError error) =>
        new(entry.IsNotification ? null : ErrorFrame(entry.Id, error), error.Code, Routed: false);

    /// <summary>Does what a built-in's answer asks (subscriptions, a cancel), before its own frame is written.</summary>
    private Dispatched CarryOut(BuiltInAnswer answer, ReadOnlyMemory<byte> id)
    {
        _subscriptions = answer.Subscriptions;
        foreach (var topic in answer.Subscribe)
        {
            _dependencies.TopicsActor.Tell(new TopicProtocol.Subscribe(topic, Self));
        }

        foreach (var topic in answer.Unsubscribe)
        {
            _dependencies.TopicsActor.Tell(new TopicProtocol.Unsubscribe(topic, Self));
        }

        if (answer.CancelId is { } cancelId)
        {
            Cancel(cancelId);
        }

        return new Dispatched(answer.Frame(id, _dependencies.SerializerOptions), answer.Error?.Code, Routed: false);
    }

    private void Cancel(ReadOnlyMemory<byte> id)
    {
        if (_inFlight?.OldestWithId(id.Span) is not { } call)
        {
            return; // Not (or no longer) in flight: ignored, as LSP requires.
        }

        if (Log.IsDebugEnabled)
        {
            Log.Debug("Session [{0}] request [{1}] cancelled by the client", _info.SessionId, RequestIdText(call.Id));
        }

        GiveUp(call, RpcError.RequestCancelled);
    }

    private void OnCheckDeadlines()
    {
        var calls = _inFlight?.Snapshot() ?? [];
        if (calls.Length == 0)
        {
            Timers.Cancel(CheckDeadlines.Instance);
            _deadlineCheckRunning = false;
            return;
        }

        if (CallsInFlight.PastDeadline(calls, Environment.TickCount64) is not { } expired)
        {
            return;
        }

        var timeout = _dependencies.Limits.HandlerTimeout;
        foreach (var call in expired)
        {
            Log.Warning(
                "Session [{0}] request [{1}] timed out after {2} (ActorRpc:Limits:HandlerTimeout); its handler is cancelled",
                _info.SessionId,
                RequestIdText(call.Id),
                timeout);
            GiveUp(call, RpcError.RequestTimedOut(timeout));
        }
    }

    /// <summary>Answers a call here and now with <paramref name="error"/>, and stops its handler.</summary>
    private void GiveUp(PendingCall call, RpcError error)
    {
        if (_inFlight is null || !_inFlight.TryGiveUp(call.Sequence, error.Code, out _))
        {
            return; // Its handler answered meanwhile (DirectCompletions).
        }

        call.Router?.Tell(new RouterProtocol.CancelInvocation(call.Sequence, Self));
        if (call.BuiltInLabel is { } builtIn)
        {
            _dependencies.Metrics.RequestHandled(builtIn, error.Code, call.Started); // No handler counts it.
        }

        Finish(call, call.IsNotification ? null : Reply(call, ErrorFrame(call.Id, error)));

        // A built-in whose decision never came must not hold up those waiting behind it.
        if (_turns.Ended(call.Sequence))
        {
            RunWaiting();
        }
    }

    private void OnCompleted(RouterProtocol.InvocationCompleted completed)
    {
        if (_inFlight is null || !_inFlight.TryComplete(completed.Sequence, out var call))
        {
            return; // Already given up on (timed out or cancelled) and answered.
        }

        Finish(call, Reply(call, completed.Frame));
    }

    private byte[]? Reply(PendingCall call, byte[]? frame) =>
        call.Reply(frame, _dependencies.Limits.MaxResponseSize, _dependencies.SerializerOptions);

    /// <summary>Settles a call that left CallsInFlight with its <paramref name="frame"/> (<see cref="PendingCall.Reply"/>; null for a notification).</summary>
    private void Finish(PendingCall call, byte[]? frame)
    {
        if (frame is null)
        {
            // A notification's handler finished; see ISessionTransport (in a batch, the last one settles the batch's bytes).
            _transport.Release(1, call.Batch is null ? call.MessageBytes : call.Batch.NotificationFinished());
        }
        else if (call.Batch is null)
        {
            Respond(frame, requests: 1, call.MessageBytes);
        }
        else if (call.Batch.Complete(frame))
        {
            RespondToBatch(call.Batch);
        }

        StopIfExchangeDone();
    }

    private void RespondToBatch(BatchResponse batch)
    {
        var bytes = batch.Answered();
        if (batch.IsTooLarge)
        {
            Respond(ErrorFrame(default, RpcError.ResponseTooLarge(_dependencies.Limits.MaxResponseSize, batch: true)), batch.Requests, bytes);
        }
        else if (batch.HasResponses)
        {
            Respond(batch.TakeFrame(), batch.Requests, bytes);
        }
        else
        {
            if (_state != SessionState.Stopping)
            {
                _transport.Release(0, bytes);
            }

            NothingToAnswer(); // A batch of notifications only: no response at all.
        }
    }

    private void Respond(ResponseFrame frame, int requests, long messageBytes)
    {
        if (_state == SessionState.Stopping)
        {
            frame.Return();
            return; // Nobody counts in flight any more: the connection is ending.
        }

        _transport.Reply(frame, requests, messageBytes);
        NothingToAnswer();
    }

    /// <summary>Writes a notification to a WebSocket; a client that cannot keep up meets the slow-consumer policy, never a wait.</summary>
    private void OnDeliver(byte[] frame)
    {
        if (_state != SessionState.Open || _info.SingleExchange)
        {
            return;
        }

        if (_transport.TryNotify(frame, out var refusedBy))
        {
            _dependencies.Metrics.NotificationDelivered();
            return;
        }

        _dependencies.Metrics.NotificationsDropped(1);
        var limits = _dependencies.Limits;
        if (limits.SlowConsumerPolicy == SlowConsumerPolicy.DropNotifications)
        {
            // Once per thousand drops: a slow client under a busy topic would otherwise flood the log.
            if (_droppedNotifications++ % 1000 == 0)
            {
                Log.Warning(
                    "Session [{0}] reads too slowly: {1} notifications dropped so far (refused at {2} {3})",
                    _info.SessionId,
                    _droppedNotifications,
                    LimitKeys.Of(refusedBy),
                    SettingValue(refusedBy, limits));
            }

            return;
        }

        CloseSlowConsumer(refusedBy, "a notification");
    }

    /// <summary>The slow-consumer policy is Disconnect and the client's queue refused <paramref name="what"/>: close 1008 and stop.</summary>
    private void CloseSlowConsumer(OutboundLimit refusedBy, string what)
    {
        Log.Warning(
            "Session [{0}] closed: its client reads too slowly ({1} refused at {2} {3})",
            _info.SessionId,
            what,
            LimitKeys.Of(refusedBy),
            SettingValue(refusedBy, _dependencies.Limits));
        _transport.Close(SessionCloseReason.SlowConsumer);
        _dependencies.Metrics.SlowConsumerDisconnected();
        StopSession();
    }

    /// <summary>HTTP: the exchange has its answer (or none): Answering becomes Answered. WebSocket: nothing to do.</summary>
    private void NothingToAnswer()
    {
        if (_state != SessionState.Answering)
        {
            return;
        }

        _state = SessionState.Answered;
        _transport.Complete();
        StopIfExchangeDone();
    }

    private void StopIfExchangeDone()
    {
        // An answered exchange lives on until its notifications finish, so they are not cancelled early.
        if (_state == SessionState.Answered && InFlightCount == 0)
        {
            StopSession();
        }
    }

    private void StopSession()
    {
        _state = SessionState.Stopping;
        Context.Stop(Self);
    }

    /// <summary>
    /// Takes a token of this WebSocket's rate limit (ActorRpc:Limits:MessagesPerSecond); always true
    /// when the limit is off or the session is an HTTP exchange. The bucket is made at the first
    /// entry, so an idle connection holds none.
    /// </summary>
    private bool TryTakeRateToken(out TimeSpan retryAfter)
    {
        retryAfter = TimeSpan.Zero;
        if (_info.SingleExchange || _dependencies.Limits.MessagesPerSecond <= 0)
        {
            return true;
        }

        _rateLimit ??= MessageRateLimit.For(_dependencies.Limits)!;
        return _rateLimit.TryTake(out retryAfter);
    }

    // The value of the setting that refused a notification, for the log line naming it.
    private static long SettingValue(OutboundLimit limit, RpcLimitsOptions limits) => limit switch
    {
        OutboundLimit.MaxOutboundBytes => limits.MaxOutboundBytes,
        OutboundLimit.MaxNodeBufferedBytes => limits.MaxNodeBufferedBytes,
        _ => limits.MaxOutboundQueue,
    };

    private byte[] ErrorFrame(ReadOnlyMemory<byte> id, RpcError error) =>
        JsonRpcResponseWriter.Error(id, error, _dependencies.SerializerOptions);

    // The client chose the id, at any length: logs get a bounded copy.
    private static string RequestIdText(ReadOnlyMemory<byte> id) =>
        id.IsEmpty ? "notification" : ClientText.Bound(id.Span);

    // Often enough that a timeout is answered within an eighth of its length, never more than once a second.
    private static TimeSpan DeadlineCheckInterval(long timeoutMs) =>
        TimeSpan.FromMilliseconds(Math.Clamp(timeoutMs / 8, 10, 1000));

    /// <summary>What dispatching an entry gave: its frame now (or none), its error code, or that it was routed and answers later.</summary>
    private readonly record struct Dispatched(byte[]? Frame, int? ErrorCode, bool Routed);

    /// <summary>Time to look for calls past their deadline.</summary>
    private sealed class CheckDeadlines : INoSerializationVerificationNeeded, IDeadLetterSuppression
    {
        private CheckDeadlines()
        {
        }

        public static CheckDeadlines Instance { get; } = new();
    }
}
