using System.Diagnostics;
using System.Net.WebSockets;
using Akka.Actor;
using Akka.Event;
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
/// Life cycle, kept in two flags rather than behaviours since every state takes the same messages:
/// open (WebSocket: until <see cref="SessionProtocol.ConnectionClosed"/>; HTTP: until its one
/// message is answered, <c>_answered</c>), then for HTTP draining (answered, notifications still
/// running), then stopping (<c>_stopping</c>: nothing more is written). Stopping cancels the token
/// every running handler got. An UntypedActor with a switch, since every request passes here twice.
/// </remarks>
internal sealed class SessionActor : UntypedActor
{
    private readonly SessionInfo _info;
    private readonly ISessionTransport _transport;
    private readonly SessionDependencies _dependencies;
    private readonly CancellationTokenSource _lifetime = new();
    private readonly Dictionary<long, BatchResponse?> _inFlight = [];
    private readonly Dictionary<long, Activity> _spans = [];
    private readonly SortedSet<string> _subscriptions = new(StringComparer.Ordinal);
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private long _nextSequence;
    private bool _received;
    private bool _answered;
    private bool _stopping;

    public SessionActor(SessionInfo info, ISessionTransport transport, SessionDependencies dependencies)
    {
        _info = info;
        _transport = transport;
        _dependencies = dependencies;
    }

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
                if (Push(deliver.Frame))
                {
                    _dependencies.Metrics.NotificationDelivered();
                }
                else
                {
                    _dependencies.Metrics.NotificationsDropped(1);
                }

                break;
            case SessionProtocol.InboundMessage inbound:
                OnInbound(inbound.Payload, inbound.TraceParent);
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
        // Cancel off this thread: cancellation runs handlers' continuations, which must not run on the actor.
        _ = _lifetime.CancelAsync();
        foreach (var span in _spans.Values)
        {
            span.SetTag("actorrpc.abandoned", true); // The session ended before the call's answer.
            RpcTracing.Finish(span, errorCode: null);
        }

        _spans.Clear();
        if (!_stopping)
        {
            // Only a fault ends a session without StopSession; don't leave its client hanging.
            _transport.Close(WebSocketCloseStatus.InternalServerError, "Session failed");
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
                Respond(ErrorFrame(default, RpcError.ParseError with { Data = message.Error }));
                break;
            case JsonRpcMessageKind.InvalidBatch:
                var invalidBatch = RpcError.InvalidRequest(message.Error!);
                _dependencies.Metrics.RequestHandled(RpcMetrics.InvalidRequest, invalidBatch.Code, started);
                Respond(ErrorFrame(default, invalidBatch));
                break;
            case JsonRpcMessageKind.Single:
                var immediate = SafeDispatch(message.Single, batch: null, traceParent);
                if (immediate is not null)
                {
                    Respond(immediate);
                }
                else if (message.Single.IsNotification || message.Single.Invalid is not null)
                {
                    NothingToAnswer();
                }

                break;
            case JsonRpcMessageKind.Batch:
                var batch = new BatchResponse();
                foreach (var entry in message.Batch!)
                {
                    if (SafeDispatch(entry, batch, traceParent) is { } error)
                    {
                        batch.AddImmediate(error);
                    }
                }

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
    /// is counted by the node that runs it and its span ends with <see cref="OnCompleted"/>.
    /// </summary>
    private byte[]? SafeDispatch(in JsonRpcEntry entry, BatchResponse? batch, ActivityContext traceParent)
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
            _log.Error(
                ex,
                "Session [{0}] could not dispatch [{1}], request [{2}]",
                _info.SessionId,
                method,
                entry.IsNotification ? "notification" : System.Text.Encoding.UTF8.GetString(entry.Id.Span));
            dispatched = Answer(entry, RpcError.InternalError);
        }

        if (!dispatched.Routed)
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

        if (!_dependencies.Directory.TryGetRouter(method, out var router))
        {
            return Answer(entry, RpcError.MethodNotFound(method));
        }

        var sequence = ++_nextSequence;
        var context = new RpcContext(_info.SessionId, _info.RemoteAddress, _info.Transport, method, entry.Id, _dependencies.Services);
        _inFlight[sequence] = batch;
        if (!entry.IsNotification)
        {
            batch?.Expect();
        }

        if (span is not null)
        {
            _spans[sequence] = span;
        }

        var call = new RpcCall(sequence, method, entry.Id, entry.Params, context, _lifetime.Token) { TraceParent = span?.Context ?? default };
        router.Tell(new RouterProtocol.Invoke(call, Self));
        return new Dispatched(null, null, Routed: true);
    }

    /// <summary>The answer to an entry that fails here: an error frame, or nothing for a notification.</summary>
    private Dispatched Answer(in JsonRpcEntry entry, RpcError error) =>
        new(entry.IsNotification ? null : ErrorFrame(entry.Id, error), error.Code, Routed: false);

    /// <summary>The built-ins about the connection's own subscriptions are answered here, at once.</summary>
    private bool TryAnswerBuiltIn(in JsonRpcEntry entry, out Dispatched answer)
    {
        answer = default;
        string[] result;
        switch (entry.Method)
        {
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
                    if (_subscriptions.Count + topics.Count(t => !_subscriptions.Contains(t)) > limit)
                    {
                        answer = Answer(entry, new RpcError(
                            (int)JsonRpcErrorCode.InvalidParams,
                            $"Invalid params: a connection may subscribe to at most {limit} topics (ActorRpc:Limits:MaxSubscriptionsPerSession)."));
                        return true;
                    }

                    foreach (var topic in topics.Where(_subscriptions.Add))
                    {
                        _dependencies.TopicsActor.Tell(new TopicProtocol.Subscribe(topic, Self));
                    }
                }
                else
                {
                    foreach (var topic in topics.Where(_subscriptions.Remove))
                    {
                        _dependencies.TopicsActor.Tell(new TopicProtocol.Unsubscribe(topic, Self));
                    }
                }

                result = [.. _subscriptions];
                break;
            case RpcMethodCatalog.GetSubscriptionsName:
                result = [.. _subscriptions];
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

    private void OnCompleted(RouterProtocol.InvocationCompleted completed)
    {
        if (!_inFlight.Remove(completed.Sequence, out var batch))
        {
            return;
        }

        if (_spans.Remove(completed.Sequence, out var span))
        {
            // Success or error is on the handler's span, where the outcome is known.
            RpcTracing.Finish(span, errorCode: null);
        }

        if (completed.Frame is { } frame)
        {
            if (batch is null)
            {
                Respond(frame);
            }
            else if (batch.Complete(frame))
            {
                RespondToBatch(batch);
            }
        }

        StopIfExchangeDone();
    }

    private void RespondToBatch(BatchResponse batch)
    {
        if (batch.HasResponses)
        {
            Respond(JsonRpcResponseWriter.Batch(batch.Responses));
        }
        else
        {
            NothingToAnswer(); // A batch of notifications only: no response at all.
        }
    }

    private void Respond(byte[] frame)
    {
        if (_info.SingleExchange)
        {
            if (!_stopping)
            {
                _transport.TrySend(frame);
                NothingToAnswer();
            }

            return;
        }

        Push(frame);
    }

    /// <summary>
    /// Writes a frame to a WebSocket; a client whose queue is full is closed (1008), never waited for.
    /// False when the frame was not queued.
    /// </summary>
    private bool Push(byte[] frame)
    {
        if (_stopping || _info.SingleExchange)
        {
            return false;
        }

        if (!_transport.TrySend(frame))
        {
            _log.Warning(
                "Session [{0}] closed: its client reads too slowly and {1} frames are waiting (ActorRpc:Limits:MaxOutboundQueue)",
                _info.SessionId,
                _dependencies.Limits.MaxOutboundQueue);
            _transport.Close(WebSocketCloseStatus.PolicyViolation, "Outbound queue full (ActorRpc:Limits:MaxOutboundQueue)");
            _dependencies.Metrics.SlowConsumerDisconnected();
            StopSession();
            return false;
        }

        return true;
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
        if (_info.SingleExchange && _answered && _inFlight.Count == 0)
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

    /// <summary>What dispatching an entry gave: its frame now (or none), its error code, or that it was routed and answers later.</summary>
    private readonly record struct Dispatched(byte[]? Frame, int? ErrorCode, bool Routed);
}
