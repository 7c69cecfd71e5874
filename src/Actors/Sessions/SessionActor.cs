using System.Diagnostics;
using System.Net.WebSockets;
using Akka.Actor;
using Akka.Event;
using ActorRpc.Actors.Configuration;
using ActorRpc.Actors.Diagnostics;
using ActorRpc.Actors.Protocol;
using ActorRpc.Actors.Routing;
using ActorRpc.Actors.Topics;
using ActorRpc.Methods.Definition;
using ActorRpc.Methods.Errors;

namespace ActorRpc.Actors.Sessions;

/// <summary>
/// One client connection (or one HTTP exchange). Parses and validates each message, answers what
/// can be answered at once (parse errors, invalid requests, unknown methods), dispatches the rest
/// to method routers without waiting, and writes each response, or each batch's array once
/// complete, through its <see cref="ISessionTransport"/>.
/// </summary>
/// <remarks>
/// <para>
/// Life cycle, kept in two flags rather than behaviours since every state takes the same messages:
/// open (WebSocket: until <see cref="SessionProtocol.ConnectionClosed"/>; HTTP: until its one
/// message is answered, <c>_answered</c>), then for HTTP draining (answered, notifications still
/// running), then stopping (<c>_stopping</c>: nothing more is written). An UntypedActor with a
/// switch, since every request passes here twice.
/// </para>
/// <para>
/// Every dispatched call is a <see cref="PendingCall"/> with its own token source, so it can be
/// given up alone: when the client sends <c>$/cancelRequest</c> (-32800), when it outlives
/// HandlerTimeout (-32001; one periodic check per session while calls run, not a timer per call),
/// or when the session stops. Giving up answers the call here at once, cancels its token, and tells
/// its router, so the handler's late result, if any, is dropped: each request gets one reply.
/// </para>
/// <para>
/// A single call of a local task method on a WebSocket is answered by its handler's thread
/// (<see cref="DirectCompletions"/>) rather than through this mailbox; <see cref="CallsInFlight"/>,
/// shared with it, makes sure only one side answers.
/// </para>
/// </remarks>
internal sealed class SessionActor : UntypedActor, IWithTimers
{
    private readonly SessionInfo _info;
    private readonly ISessionTransport _transport;
    private readonly SessionDependencies _dependencies;

    // Created when first needed: most sessions sit idle most of the time, and at 10,000 connections
    // per node every byte an idle session holds counts (issue #5).
    private CallsInFlight? _inFlight;
    private DirectCompletions? _directCompletions;
    private SortedSet<string>? _subscriptions;
    private ILoggingAdapter? _log;
    private readonly long _timeoutMs;
    private long _nextSequence;
    private long _droppedNotifications;
    private bool _deadlineCheckRunning;
    private bool _received;
    private bool _answered;
    private bool _stopping;

    public SessionActor(SessionInfo info, ISessionTransport transport, SessionDependencies dependencies)
    {
        _info = info;
        _transport = transport;
        _dependencies = dependencies;
        var timeout = dependencies.Limits.HandlerTimeout;
        _timeoutMs = timeout == Timeout.InfiniteTimeSpan ? long.MaxValue : (long)timeout.TotalMilliseconds;
    }

    public ITimerScheduler Timers { get; set; } = null!;

    private ILoggingAdapter Log => _log ??= Context.GetLogger();

    private int InFlightCount => _inFlight?.Count ?? 0;

    private CallsInFlight InFlight => _inFlight ??= new CallsInFlight();

    // WebSocket sessions only: an HTTP exchange ends when its last call does, which the session itself must see.
    private DirectCompletions? DirectCompletions =>
        _info.SingleExchange ? null : _directCompletions ??= new DirectCompletions(InFlight, _transport, _dependencies.SerializerOptions);

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
            case SessionProtocol.ConnectionClosed:
                StopSession();
                break;
            default:
                Unhandled(message);
                break;
        }
    }

    protected override void PostStop()
    {
        if (_inFlight?.RemoveAll() is { Length: > 0 } calls)
        {
            var tokens = new CancellationTokenSource[calls.Length];
            var i = 0;
            foreach (var call in calls)
            {
                tokens[i++] = call.Cancellation;
                call.Router?.Tell(new RouterProtocol.CancelInvocation(call.Sequence, Self));
                call.Span?.SetTag("actorrpc.abandoned", true); // The session ended before the call's answer.
                RpcTracing.Finish(call.Span, errorCode: null);
            }

            // Cancel off this thread: cancellation runs handlers' continuations, which must not run on the actor.
            _ = Task.Run(() => Array.ForEach(tokens, t => t.Cancel()));
        }

        if (!_stopping)
        {
            // Only a fault ends a session without StopSession; don't leave its client hanging.
            _transport.Close(SessionCloseReason.SessionFailed);
        }

        base.PostStop();
    }

    private void OnInbound(byte[] payload, ActivityContext traceParent)
    {
        if (_stopping || (_info.SingleExchange && _received))
        {
            return;
        }

        _received = true;
        var started = Stopwatch.GetTimestamp();
        var limits = _dependencies.Limits;
        var message = JsonRpcParser.Parse(payload, limits.MaxBatchSize, limits.MaxJsonDepth);
        switch (message.Kind)
        {
            case JsonRpcMessageKind.ParseError:
                _dependencies.Metrics.RequestHandled(RpcMetrics.InvalidRequest, RpcError.ParseError.Code, started);
                Respond(ErrorFrame(default, RpcError.ParseError with { Data = message.Error }), requests: 1);
                break;
            case JsonRpcMessageKind.InvalidBatch:
                var invalidBatch = RpcError.InvalidRequest(message.Error!);
                _dependencies.Metrics.RequestHandled(RpcMetrics.InvalidRequest, invalidBatch.Code, started);
                Respond(ErrorFrame(default, invalidBatch), requests: 1);
                break;
            case JsonRpcMessageKind.Single:
                var immediate = SafeDispatch(message.Single, batch: null, traceParent, out var dispatched);
                if (immediate is not null)
                {
                    Respond(immediate, requests: 1);
                }
                else
                {
                    if (!dispatched)
                    {
                        _transport.Release(1);
                    }

                    if (message.Single.IsNotification)
                    {
                        NothingToAnswer(); // HTTP: 204 at once; the notification's handler runs on.
                    }
                }

                break;
            case JsonRpcMessageKind.Batch:
                var batch = new BatchResponse();
                var entries = message.Batch!;
                _transport.AddInFlight(entries.Length - 1);
                var finished = 0;
                foreach (var entry in entries)
                {
                    if (SafeDispatch(entry, batch, traceParent, out var entryDispatched) is { } error)
                    {
                        batch.AddImmediate(error);
                    }
                    else if (!entryDispatched)
                    {
                        finished++;
                    }
                }

                _transport.Release(finished);
                if (batch.IsComplete)
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
    private byte[]? SafeDispatch(in JsonRpcEntry entry, BatchResponse? batch, ActivityContext traceParent, out bool routed)
    {
        var started = Stopwatch.GetTimestamp();
        var method = entry.Invalid is not null ? RpcMetrics.InvalidRequest : _dependencies.Metrics.MethodLabel(entry.Method);
        var span = RpcTracing.StartRequest(method, entry.Id, _info.SessionId, _info.Transport, traceParent);
        Dispatched dispatched;
        try
        {
            dispatched = Dispatch(entry, batch, span);
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
    private Dispatched Dispatch(in JsonRpcEntry entry, BatchResponse? batch, Activity? span)
    {
        if (entry.Invalid is not null)
        {
            // Answered even without an id: an invalid request is no notification.
            var invalid = RpcError.InvalidRequest(entry.Invalid);
            return new Dispatched(ErrorFrame(entry.Id, invalid), invalid.Code, Routed: false);
        }

        var method = entry.Method!;
        if (TryAnswerBuiltIn(entry, out var builtIn))
        {
            return builtIn;
        }

        if (!_dependencies.Directory.TryGetRoute(method, out var route))
        {
            return Answer(entry, RpcError.MethodNotFound(method));
        }

        var sequence = ++_nextSequence;
        var inFlight = InFlight;
        var cancellation = inFlight.RentToken();
        var deadline = _timeoutMs == long.MaxValue ? long.MaxValue : Environment.TickCount64 + _timeoutMs;
        // A task the session starts itself has only its token to cancel; other calls have a router to tell.
        var router = route.LocalTask is null ? route.Router : null;
        inFlight.Add(new PendingCall(sequence, entry.Id, batch, router, cancellation, deadline, span));
        if (!entry.IsNotification)
        {
            batch?.Expect();
        }

        if (deadline != long.MaxValue && !_deadlineCheckRunning)
        {
            _deadlineCheckRunning = true;
            Timers.StartPeriodicTimer(CheckDeadlines.Instance, CheckDeadlines.Instance, DeadlineCheckInterval(_timeoutMs));
        }

        var context = new RpcContext(_info.SessionId, _info.RemoteAddress, _info.Transport, method, entry.Id, _dependencies.Services);
        var call = new RpcCall(sequence, method, entry.Id, entry.Params, context, cancellation.Token) { TraceParent = span?.Context ?? default };
        route.Start(call, Self, batch is null ? DirectCompletions : null);
        return new Dispatched(null, null, Routed: true);
    }

    /// <summary>The answer to an entry that fails here: an error frame, or nothing for a notification.</summary>
    private Dispatched Answer(in JsonRpcEntry entry, RpcError error) =>
        new(entry.IsNotification ? null : ErrorFrame(entry.Id, error), error.Code, Routed: false);

    /// <summary>The built-ins about the connection itself are answered here, at once.</summary>
    private bool TryAnswerBuiltIn(in JsonRpcEntry entry, out Dispatched answer)
    {
        answer = default;
        string[] result;
        switch (entry.Method)
        {
            case CancelRequest.MethodName:
                if (CancelRequest.TryGetId(entry.Params, out var id))
                {
                    Cancel(id);
                }
                else
                {
                    answer = Answer(entry, new RpcError((int)JsonRpcErrorCode.InvalidParams, "Invalid params: expected {\"id\": <request id>}"));
                    return true;
                }

                // An id that is not (or no longer) in flight is ignored, as LSP requires.
                answer = new Dispatched(
                    entry.IsNotification ? null : JsonRpcResponseWriter.Result(entry.Id, new RpcValue(null, typeof(object)), _dependencies.SerializerOptions),
                    null,
                    Routed: false);
                return true;
            case RpcMethodCatalog.SubscribeName or RpcMethodCatalog.UnsubscribeName:
                if (!TopicParams.TryParse(entry.Params, out var topics, out var error))
                {
                    answer = Answer(entry, new RpcError((int)JsonRpcErrorCode.InvalidParams, error!));
                    return true;
                }

                if (entry.Method == RpcMethodCatalog.SubscribeName)
                {
                    if (topics.FirstOrDefault(t => !_dependencies.Topics.IsAllowed(t)) is { } unknown)
                    {
                        answer = Answer(entry, new RpcError(
                            (int)JsonRpcErrorCode.InvalidParams, $"Invalid params: unknown topic '{unknown}'; see get_topics."));
                        return true;
                    }

                    var limit = _dependencies.Limits.MaxSubscriptionsPerSession;
                    var subscriptions = _subscriptions ??= new SortedSet<string>(StringComparer.Ordinal);
                    if (subscriptions.Count + topics.Count(t => !subscriptions.Contains(t)) > limit)
                    {
                        answer = Answer(entry, new RpcError(
                            (int)JsonRpcErrorCode.InvalidParams,
                            $"Invalid params: a connection may subscribe to at most {limit} topics (ActorRpc:Limits:MaxSubscriptionsPerSession)."));
                        return true;
                    }

                    foreach (var topic in topics.Where(subscriptions.Add))
                    {
                        _dependencies.TopicsActor.Tell(new TopicProtocol.Subscribe(topic, Self));
                    }
                }
                else if (_subscriptions is not null)
                {
                    foreach (var topic in topics.Where(_subscriptions.Remove))
                    {
                        _dependencies.TopicsActor.Tell(new TopicProtocol.Unsubscribe(topic, Self));
                    }
                }

                result = _subscriptions is null ? [] : [.. _subscriptions];
                break;
            case RpcMethodCatalog.GetSubscriptionsName:
                result = _subscriptions is null ? [] : [.. _subscriptions];
                break;
            case RpcMethodCatalog.GetTopicsName:
                result = [.. _dependencies.Topics.Listed];
                break;
            default:
                return false;
        }

        var frame = entry.IsNotification ? null : JsonRpcResponseWriter.Result(entry.Id, new RpcValue(result, typeof(string[])), _dependencies.SerializerOptions);
        answer = new Dispatched(frame, null, Routed: false);
        return true;
    }

    private void Cancel(ReadOnlyMemory<byte> id)
    {
        if (_inFlight is null)
        {
            return;
        }

        // Ids should be unique among requests in flight; if not, the oldest is the one meant.
        PendingCall? oldest = null;
        foreach (var call in _inFlight.Snapshot())
        {
            if (!call.IsNotification && CancelRequest.SameId(call.Id.Span, id.Span) && (oldest is null || call.Sequence < oldest.Sequence))
            {
                oldest = call;
            }
        }

        if (oldest is null)
        {
            return;
        }

        if (Log.IsDebugEnabled)
        {
            Log.Debug("Session [{0}] request [{1}] cancelled by the client", _info.SessionId, RequestIdText(oldest.Id));
        }

        GiveUp(oldest, RpcError.RequestCancelled);
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

        var now = Environment.TickCount64;
        List<PendingCall>? expired = null;
        foreach (var call in calls)
        {
            if (call.Deadline <= now)
            {
                (expired ??= []).Add(call);
            }
        }

        if (expired is null)
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
        if (_inFlight is null || !_inFlight.TryRemove(call.Sequence, out _))
        {
            return; // Its handler answered meanwhile (DirectCompletions).
        }

        call.Router?.Tell(new RouterProtocol.CancelInvocation(call.Sequence, Self));

        // Never reused: the handler may still hold this token. Cancelled off the actor's thread.
        _ = call.Cancellation.CancelAsync();
        RpcTracing.Finish(call.Span, error.Code);
        Finish(call, call.IsNotification ? null : ErrorFrame(call.Id, error));
    }

    private void OnCompleted(RouterProtocol.InvocationCompleted completed)
    {
        if (_inFlight is null || !_inFlight.TryRemove(completed.Sequence, out var call))
        {
            return; // Already given up on (timed out or cancelled) and answered.
        }

        _inFlight.Recycle(call.Cancellation);

        // Success or error is on the handler's span, where the outcome is known.
        RpcTracing.Finish(call.Span, errorCode: null);

        Finish(call, call.IsNotification ? null : completed.Frame ?? ErrorFrame(call.Id, RpcError.InternalError));
    }

    private void Finish(PendingCall call, byte[]? frame)
    {
        if (frame is null)
        {
            _transport.Release(1);
        }
        else if (call.Batch is null)
        {
            Respond(frame, requests: 1);
        }
        else if (call.Batch.Complete(frame))
        {
            RespondToBatch(call.Batch);
        }

        StopIfExchangeDone();
    }

    private void RespondToBatch(BatchResponse batch)
    {
        if (batch.HasResponses)
        {
            Respond(JsonRpcResponseWriter.Batch(batch.Responses), batch.Requests);
        }
        else
        {
            NothingToAnswer(); // A batch of notifications only: no response at all.
        }
    }

    private void Respond(byte[] frame, int requests)
    {
        if (_stopping)
        {
            return;
        }

        _transport.Reply(frame, requests);
        if (_info.SingleExchange)
        {
            NothingToAnswer();
        }
    }

    /// <summary>Writes a notification to a WebSocket; a client that cannot keep up meets the slow-consumer policy, never a wait.</summary>
    private void OnDeliver(byte[] frame)
    {
        if (_stopping || _info.SingleExchange)
        {
            return;
        }

        if (_transport.TryNotify(frame))
        {
            _dependencies.Metrics.NotificationDelivered();
            return;
        }

        _dependencies.Metrics.NotificationsDropped(1);
        var limits = _dependencies.Limits;
        if (limits.SlowConsumerPolicy == SlowConsumerPolicy.DropNotifications)
        {
            if (_droppedNotifications++ % 1000 == 0)
            {
                Log.Warning(
                    "Session [{0}] reads too slowly: {1} notifications dropped so far ({2} are waiting; ActorRpc:Limits:MaxOutboundQueue)",
                    _info.SessionId,
                    _droppedNotifications,
                    limits.MaxOutboundQueue);
            }

            return;
        }

        Log.Warning(
            "Session [{0}] closed: its client reads too slowly and {1} notifications are waiting (ActorRpc:Limits:MaxOutboundQueue)",
            _info.SessionId,
            limits.MaxOutboundQueue);
        _transport.Close(SessionCloseReason.SlowConsumer);
        _dependencies.Metrics.SlowConsumerDisconnected();
        StopSession();
    }

    /// <summary>HTTP: the exchange has its answer (or none); WebSocket: nothing to do.</summary>
    private void NothingToAnswer()
    {
        if (!_info.SingleExchange || _answered)
        {
            return;
        }

        _answered = true;
        _transport.Complete();
        StopIfExchangeDone();
    }

    private void StopIfExchangeDone()
    {
        // An answered exchange lives on until its notifications finish, so they are not cancelled early.
        if (_info.SingleExchange && _answered && InFlightCount == 0)
        {
            StopSession();
        }
    }

    private void StopSession()
    {
        _stopping = true;
        Context.Stop(Self);
    }

    private byte[] ErrorFrame(ReadOnlyMemory<byte> id, RpcError error) =>
        JsonRpcResponseWriter.Error(id, error, _dependencies.SerializerOptions);

    private static string RequestIdText(ReadOnlyMemory<byte> id) =>
        id.IsEmpty ? "notification" : System.Text.Encoding.UTF8.GetString(id.Span);

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
