namespace ActorRpc.Actors.Sessions;

/// <summary>
/// The session's only way out to its client. Implemented by the Gateway for a WebSocket
/// connection and for an HTTP POST exchange. Every member must return at once: the session is an
/// actor and never waits on I/O. <see cref="Reply"/> and <see cref="Release"/> are also called
/// from task handlers' threads (a WebSocket session's single calls answer there), so a WebSocket
/// transport is thread-safe.
/// </summary>
/// <remarks>
/// <para>
/// <b>In-flight accounting</b>, written here once; every site below points here. A WebSocket
/// transport counts the requests and notifications it handed to the session and not yet settled;
/// while the count is at <c>ActorRpc:Limits:MaxRequestsInFlight</c> it reads nothing more from its client.
/// The rule: <b>a message counts 1, a batch of n adds n - 1, and every request or notification
/// leaves the count exactly once</b>, by the reply that answers it or by a release.
/// </para>
/// <para>
/// <b>Bytes</b> (<c>ActorRpc:Limits:MaxInFlightBytes</c>) follow the same sites: <b>a message counts
/// its length when handed to the session, and the whole length leaves once, with the settlement of its
/// last entry</b> (the <c>messageBytes</c> of <see cref="Reply"/> and <see cref="Release"/>; 0 on every
/// other settlement). A single message: with its one settlement (<see cref="PendingCall.MessageBytes"/>
/// for a routed call). A batch: with its reply, or, when routed notifications of the batch still run
/// then, with the last of them to finish; a batch that needs no reply settles them when it turns out to
/// need none (<see cref="BatchResponse.Answered"/>, <see cref="BatchResponse.NotificationFinished"/>).
/// Bytes handed with a reply leave when it is written, like its requests. When the connection ends,
/// whatever is still counted is given back to the node's budget at once (abandoned calls never settle
/// in the connection's own count, which ends with it).
/// </para>
/// <list type="table">
/// <listheader><term>Site</term><description>What it counts, and why</description></listheader>
/// <item><term><c>WebSocketReader</c> (Gateway), <c>_inFlight.Add(1, message.Length)</c></term>
/// <description>+1, and the message's bytes, per text message handed to the session, before the
/// <c>InboundMessage</c> is told.</description></item>
/// <item><term><c>SessionActor.OnInbound</c>, batch</term>
/// <description><see cref="AddInFlight"/>(n - 1): the batch's entries count one each. Then
/// <see cref="Release"/>(k) for the k entries done at dispatch without a reply (notifications of an
/// unknown method, built-in notifications).</description></item>
/// <item><term><c>SessionActor.OnInbound</c>, single or unparsable</term>
/// <description>A parse error, invalid batch or request answered at once: <see cref="Reply"/>(frame, 1).
/// A notification done at dispatch: <see cref="Release"/>(1). A routed call settles when it finishes.</description></item>
/// <item><term><c>SessionActor.Finish</c> (a call completed or given up)</term>
/// <description>A notification: <see cref="Release"/>(1) when its handler finished. A single request:
/// <see cref="Reply"/>(frame, 1). A batch's request: nothing until the batch's last answer, then one
/// <see cref="Reply"/>(array, <c>BatchResponse.Requests</c>), which counts every entry that answers
/// (answered at dispatch or routed).</description></item>
/// <item><term><c>DirectCompletions.Completed</c> (handler thread, WebSocket single calls)</term>
/// <description>The same as <c>Finish</c> for a single call: <see cref="Reply"/>(frame, 1) or
/// <see cref="Release"/>(1).</description></item>
/// <item><term><c>WebSocketSender</c>'s send loop and <c>Reply</c> (Gateway)</term>
/// <description>A reply's requests and message bytes are released once its frame is written (its frame's
/// own bytes leave MaxOutboundBytes and the node's budget then too), or at once when the connection is
/// closing and the reply is dropped (nobody waits on the count any more).</description></item>
/// <item><term><c>HttpExchange</c> and <c>RpcEndpoint</c> (Gateway)</term>
/// <description>No in-flight count (one message per POST, so Kestrel is the flow control), but the
/// POST holds a place of MaxConnections until its session stops, that is until its last handler
/// finished or was given up, and its handlers count against MaxNodeHandlers as a WebSocket's do.</description></item>
/// <item><term><c>CallsInFlight</c> (<c>TryComplete</c>, <c>TryGiveUp</c>, <c>AbandonAll</c>)</term>
/// <description>Each call gives back its place of MaxNodeHandlers as it leaves, by whichever door:
/// abandoned calls too, when the session stops (<c>SessionActor.PostStop</c>).</description></item>
/// <item><term><c>InFlightGate.End</c> (Gateway, the connection ended)</term>
/// <description>Gives the node's budget (MaxNodeBufferedBytes) back every message byte still counted,
/// those of abandoned calls included; queued frames give theirs back as they are dropped.</description></item>
/// </list>
/// <para>
/// Why it balances: each request or notification is settled by whichever side takes its
/// <see cref="PendingCall"/> out of <c>CallsInFlight</c> (completion, give-up), and only one side
/// can; entries answered at dispatch never enter it. Once the session is stopping it writes and
/// releases nothing more: its replies are dropped and its abandoned calls are never settled in the
/// connection's count, which is harmless because the connection, and its count, are ending with it.
/// What the node counts is settled all the same: handler places by <c>CallsInFlight.AbandonAll</c>,
/// bytes by <c>InFlightGate.End</c>.
/// </para>
/// </remarks>
internal interface ISessionTransport
{
    /// <summary>
    /// Queues a notification frame. False when the client already has
    /// <c>MaxOutboundQueue</c> notifications waiting, or the frame would take its queued bytes past
    /// <c>MaxOutboundBytes</c> or the node's past <c>MaxNodeBufferedBytes</c> (a slow consumer); the
    /// frame is then not queued, and <paramref name="refusedBy"/> says which setting refused it
    /// (<see cref="OutboundLimit.None"/> when taken), so the session logs the exact limit.
    /// A closing connection drops the frame and says true.
    /// </summary>
    bool TryNotify(byte[] frame, out OutboundLimit refusedBy);

    /// <summary>
    /// Queues the reply to one message; <paramref name="requests"/> and <paramref name="messageBytes"/>
    /// stop counting as in flight once it is written. Never refused: replies are bounded by the
    /// in-flight limits, not by the queue. The transport owns <paramref name="frame"/> from now on
    /// (and returns it to the pool when it is pooled).
    /// </summary>
    void Reply(ResponseFrame frame, int requests, long messageBytes = 0);

    /// <summary>Entries of a batch beyond the one its message already counted.</summary>
    void AddInFlight(int requests);

    /// <summary>Requests or notifications that finished without a reply to write (and, when they were a message's last, its bytes).</summary>
    void Release(int requests, long messageBytes = 0);

    /// <summary>
    /// The server's calls to the client that wait for its answers went up (or down, negative) by
    /// <paramref name="change"/>. Each one lets the connection read one message past
    /// MaxRequestsInFlight: the handlers that wait for those answers hold their places, and without
    /// this room, once they held every place, the answers would never be read (each call would end
    /// only at ClientCallTimeout). Bounded by MaxClientCallsInFlight.
    /// </summary>
    void AwaitAnswers(int change);

    /// <summary>
    /// Asks for the connection to be closed because of <paramref name="reason"/>; pending frames are
    /// dropped. The transport chooses how to tell its client (a WebSocket close frame, an HTTP status).
    /// </summary>
    void Close(SessionCloseReason reason);

    /// <summary>The session will send nothing more (the end of an HTTP exchange; a no-op for WebSockets).</summary>
    void Complete();
}
