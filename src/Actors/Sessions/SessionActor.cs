using System.Net.WebSockets;
using Akka.Actor;
using Akka.Event;
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
                Push(deliver.Frame);
                break;
            case SessionProtocol.InboundMessage inbound:
                OnInbound(inbound.Payload);
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
        if (!_stopping)
        {
            // Only a fault ends a session without StopSession; don't leave its client hanging.
            _transport.Close(WebSocketCloseStatus.InternalServerError, "Session failed");
        }

        base.PostStop();
    }

    private void OnInbound(byte[] payload)
    {
        if (_stopping || (_info.SingleExchange && _received))
        {
            return;
        }

        _received = true;
        var limits = _dependencies.Limits;
        var message = JsonRpcParser.Parse(payload, limits.MaxBatchSize, limits.MaxJsonDepth);
        switch (message.Kind)
        {
            case JsonRpcMessageKind.ParseError:
                Respond(ErrorFrame(default, RpcError.ParseError with { Data = message.Error }));
                break;
            case JsonRpcMessageKind.InvalidBatch:
                Respond(ErrorFrame(default, RpcError.InvalidRequest(message.Error!)));
                break;
            case JsonRpcMessageKind.Single:
                var immediate = SafeDispatch(message.Single, batch: null);
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
                    if (SafeDispatch(entry, batch) is { } error)
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
    /// </summary>
    private byte[]? SafeDispatch(in JsonRpcEntry entry, BatchResponse? batch)
    {
        try
        {
            return Dispatch(entry, batch);
        }
#pragma warning disable CA1031 // Deliberately broad: a client's message must never end its session.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            _log.Error(ex, "Session [{0}] could not dispatch [{1}]", _info.SessionId, entry.Method ?? "invalid request");
            return entry.IsNotification ? null : ErrorFrame(entry.Id, RpcError.InternalError);
        }
    }

    /// <summary>Starts one entry; returns its response when it is known at once.</summary>
    private byte[]? Dispatch(in JsonRpcEntry entry, BatchResponse? batch)
    {
        if (entry.Invalid is not null)
        {
            return ErrorFrame(entry.Id, RpcError.InvalidRequest(entry.Invalid));
        }

        var method = entry.Method!;
        if (TryAnswerBuiltIn(entry, out var builtInFrame))
        {
            return builtInFrame;
        }

        if (!_dependencies.Directory.TryGetRouter(method, out var router))
        {
            return entry.IsNotification ? null : ErrorFrame(entry.Id, RpcError.MethodNotFound(method));
        }

        var sequence = ++_nextSequence;
        var context = new RpcContext(_info.SessionId, _info.RemoteAddress, _info.Transport, method, entry.Id, _dependencies.Services);
        _inFlight[sequence] = batch;
        if (!entry.IsNotification)
        {
            batch?.Expect();
        }

        router.Tell(new RouterProtocol.Invoke(new RpcCall(sequence, method, entry.Id, entry.Params, context, _lifetime.Token), Self));
        return null;
    }

    /// <summary>The built-ins about the connection's own subscriptions are answered here, at once.</summary>
    private bool TryAnswerBuiltIn(in JsonRpcEntry entry, out byte[]? frame)
    {
        frame = null;
        string[] result;
        switch (entry.Method)
        {
            case RpcMethodCatalog.SubscribeName or RpcMethodCatalog.UnsubscribeName:
                if (!TopicParams.TryParse(entry.Params, out var topics, out var error))
                {
                    frame = entry.IsNotification ? null : ErrorFrame(entry.Id, new RpcError((int)JsonRpcErrorCode.InvalidParams, error!));
                    return true;
                }

                if (entry.Method == RpcMethodCatalog.SubscribeName)
                {
                    if (topics.FirstOrDefault(t => !_dependencies.Topics.IsAllowed(t)) is { } unknown)
                    {
                        frame = entry.IsNotification ? null : ErrorFrame(entry.Id, new RpcError(
                            (int)JsonRpcErrorCode.InvalidParams, $"Invalid params: unknown topic '{unknown}'; see get_topics."));
                        return true;
                    }

                    var limit = _dependencies.Limits.MaxSubscriptionsPerSession;
                    if (_subscriptions.Count + topics.Count(t => !_subscriptions.Contains(t)) > limit)
                    {
                        frame = entry.IsNotification ? null : ErrorFrame(entry.Id, new RpcError(
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

        frame = entry.IsNotification ? null : JsonRpcResponseWriter.Result(entry.Id, new RpcValue(result, typeof(string[])), _dependencies.SerializerOptions);
        return true;
    }

    private void OnCompleted(RouterProtocol.InvocationCompleted completed)
    {
        if (!_inFlight.Remove(completed.Sequence, out var batch))
        {
            return;
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

    /// <summary>Writes a frame to a WebSocket; a client whose queue is full is closed (1008), never waited for.</summary>
    private void Push(byte[] frame)
    {
        if (_stopping || _info.SingleExchange)
        {
            return;
        }

        if (!_transport.TrySend(frame))
        {
            _log.Warning(
                "Session [{0}] closed: its client reads too slowly and {1} frames are waiting (ActorRpc:Limits:MaxOutboundQueue)",
                _info.SessionId,
                _dependencies.Limits.MaxOutboundQueue);
            _transport.Close(WebSocketCloseStatus.PolicyViolation, "Outbound queue full (ActorRpc:Limits:MaxOutboundQueue)");
            StopSession();
        }
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
}
