using Akka.Actor;
using Akka.Event;
using ActorRpc.Actors.Protocol;

namespace ActorRpc.Actors.Sessions;

/// <summary>
/// Calls from the server to the connection's client (<see cref="ClientCallProtocol"/>), on the
/// session's thread: the session gives each request its id (<c>"s:n"</c>), writes it through the
/// same outbound queue as notifications (so the connection's outbound limits hold, and a client
/// that reads too slowly meets the slow-consumer policy), holds the caller until the client's
/// response comes (<see cref="OnClientResponse"/>), the call times out (ClientCallTimeout), its caller
/// withdraws it, or the session stops; and answers each caller exactly once.
/// </summary>
internal sealed partial class SessionActor
{
    // Created at the first call: most connections are never called.
    private Dictionary<long, PendingClientCall>? _clientCalls;
    private long _nextClientCall;

    private void OnCallClient(ClientCallProtocol.CallClient call)
    {
        if (_info.SingleExchange)
        {
            Sender.Tell(ClientCallProtocol.ClientCallAnswer.Because(
                ClientCallOutcome.NotSupported, "Calls to the client need a WebSocket: this session is an HTTP POST exchange."));
            return;
        }

        if (_state != SessionState.Open)
        {
            Sender.Tell(Gone());
            return;
        }

        if (!call.ExpectsAnswer)
        {
            Sender.Tell(WriteToClient(ClientCallFrames.Notification(call.Method, call.Params))
                ?? ClientCallProtocol.ClientCallAnswer.Because(ClientCallOutcome.Sent, string.Empty));
            return;
        }

        var calls = _clientCalls ??= [];
        var limit = _dependencies.Limits.MaxClientCallsInFlight;
        if (calls.Count >= limit)
        {
            Sender.Tell(ClientCallProtocol.ClientCallAnswer.Because(
                ClientCallOutcome.Refused,
                $"The client of session {_info.SessionId} already has {limit} calls from the server waiting for their answers ({LimitKeys.MaxClientCallsInFlight})."));
            return;
        }

        var id = ++_nextClientCall;
        if (WriteToClient(ClientCallFrames.Request(id, call.Method, call.Params)) is { } refused)
        {
            Sender.Tell(refused);
            return;
        }

        calls.Add(id, new PendingClientCall(Sender, call.Method));
        _transport.AwaitAnswers(1); // Room to read its answer even when every place is held by a handler that waits for one.
        var timeout = _dependencies.Limits.ClientCallTimeout;
        if (timeout != Timeout.InfiniteTimeSpan)
        {
            var expiry = new ClientCallTimedOut(id);
            Timers.StartSingleTimer(expiry, expiry, timeout);
        }
    }

    /// <summary>A response object from the client (alone or in a batch): the answer to a pending call, or ignored. Never answered.</summary>
    private void OnClientResponse(in JsonRpcEntry entry)
    {
        if (!ClientCallFrames.TryParseId(entry.Id.Span, out var id) || !TryTakeClientCall(id, out var pending))
        {
            if (Log.IsDebugEnabled)
            {
                Log.Debug("Session [{0}] ignored a response with id [{1}]: no call of the server waits for it", _info.SessionId, RequestIdText(entry.Id));
            }

            return;
        }

        var payload = entry.Response == JsonRpcResponseKind.Malformed ? ClientCallFrames.MalformedResponseError : entry.Params.ToArray();
        var outcome = entry.Response == JsonRpcResponseKind.Result ? ClientCallOutcome.Result : ClientCallOutcome.Error;
        pending.ReplyTo.Tell(new ClientCallProtocol.ClientCallAnswer(outcome, payload, string.Empty));
    }

    private void OnClientCallTimedOut(long id)
    {
        if (!TryTakeClientCall(id, out var pending))
        {
            return; // Answered meanwhile.
        }

        var timeout = _dependencies.Limits.ClientCallTimeout;
        Log.Warning(
            "Session [{0}]: the client did not answer the server's call [s:{1}] within {2} ({3})", _info.SessionId, id, timeout, LimitKeys.ClientCallTimeout);
        pending.ReplyTo.Tell(ClientCallProtocol.ClientCallAnswer.Because(
            ClientCallOutcome.TimedOut,
            $"The client of session {_info.SessionId} did not answer '{pending.Method}' within {timeout} ({LimitKeys.ClientCallTimeout})."));
        TellClientCancelled(id);
    }

    /// <summary>The sender (the caller of one call) stopped waiting: forget its call, and tell the client it may stop too.</summary>
    private void OnCancelClientCall()
    {
        if (_clientCalls is null)
        {
            return;
        }

        foreach (var (id, pending) in _clientCalls)
        {
            if (pending.ReplyTo.Equals(Sender))
            {
                TryTakeClientCall(id, out _);
                TellClientCancelled(id);
                return;
            }
        }
    }

    /// <summary>The session stops: every call still waiting fails with <see cref="ClientCallOutcome.Gone"/>.</summary>
    private void AbandonClientCalls()
    {
        if (_clientCalls is null)
        {
            return;
        }

        var gone = Gone();
        foreach (var pending in _clientCalls.Values)
        {
            pending.ReplyTo.Tell(gone);
        }

        _transport.AwaitAnswers(-_clientCalls.Count);
        _clientCalls.Clear();
    }

    private bool TryTakeClientCall(long id, out PendingClientCall pending)
    {
        if (_clientCalls is null || !_clientCalls.Remove(id, out pending))
        {
            pending = default;
            return false;
        }

        Timers.Cancel(new ClientCallTimedOut(id));
        _transport.AwaitAnswers(-1);
        return true;
    }

    private void TellClientCancelled(long id)
    {
        if (_state == SessionState.Open)
        {
            _transport.TryNotify(ClientCallFrames.Cancel(id), out _); // A courtesy: a full queue just leaves it out.
        }
    }

    /// <summary>
    /// Queues a frame of a call to the client on the notifications' queue: null once queued. Refused
    /// (a client that reads too slowly) it meets the slow-consumer policy as a notification would,
    /// and the caller's answer is returned: gone (the session closes) or refused (the frame dropped).
    /// </summary>
    private ClientCallProtocol.ClientCallAnswer? WriteToClient(byte[] frame)
    {
        if (_transport.TryNotify(frame, out var refusedBy))
        {
            return null;
        }

        var limits = _dependencies.Limits;
        if (limits.SlowConsumerPolicy == SlowConsumerPolicy.Disconnect)
        {
            CloseSlowConsumer(refusedBy, "a call from the server");
            return Gone();
        }

        return ClientCallProtocol.ClientCallAnswer.Because(
            ClientCallOutcome.Refused,
            $"The client of session {_info.SessionId} reads too slowly: the frame was refused at {LimitKeys.Of(refusedBy)} {SettingValue(refusedBy, limits)}.");
    }

    private ClientCallProtocol.ClientCallAnswer Gone() => ClientCallProtocol.ClientCallAnswer.Because(
        ClientCallOutcome.Gone, $"The connection of session {_info.SessionId} closed before its client answered.");

    /// <summary>A call waiting for its client's answer: who waits, and for what (for messages).</summary>
    private readonly record struct PendingClientCall(IActorRef ReplyTo, string Method);

    /// <summary>The call <paramref name="Id"/> waited ClientCallTimeout; also the key of its timer.</summary>
    private sealed record ClientCallTimedOut(long Id) : INoSerializationVerificationNeeded, IDeadLetterSuppression;
}
