using Akka.Event;

namespace ActorRpc.Actors.Sessions;

/// <summary>
/// Calls from the server to a session's client: what a caller (a <see cref="ClientCalls.ClientCallActor"/>,
/// on any node) tells the session, and the one answer it gets. These cross the cluster
/// (<see cref="Cluster.ClusterMessageSerializer"/>), so they carry only primitives and bytes; the
/// caller is the message's sender.
/// </summary>
internal static class ClientCallProtocol
{
    /// <summary>
    /// Sends the client a request (<paramref name="ExpectsAnswer"/>) or a notification of
    /// <paramref name="Method"/>. Answered with one <see cref="ClientCallAnswer"/>: <see cref="ClientCallOutcome.Sent"/>
    /// for a notification once queued; for a request its result or error, or why there is none.
    /// </summary>
    /// <param name="Method">The client-side method's name.</param>
    /// <param name="Params">The raw JSON params (an array or an object); empty for none.</param>
    /// <param name="ExpectsAnswer">True for a request (the session gives it an id), false for a notification.</param>
    public sealed record CallClient(string Method, byte[] Params, bool ExpectsAnswer);

    /// <summary>The sender stopped waiting for its call (its token was cancelled): the session forgets it and tells the client.</summary>
    public sealed class CancelClientCall : IDeadLetterSuppression
    {
        private CancelClientCall()
        {
        }

        /// <summary>The single instance.</summary>
        public static CancelClientCall Instance { get; } = new();
    }

    /// <summary>How a <see cref="CallClient"/> ended.</summary>
    /// <param name="Outcome">What happened.</param>
    /// <param name="Payload">The raw result value (<see cref="ClientCallOutcome.Result"/>) or error object (<see cref="ClientCallOutcome.Error"/>); empty otherwise.</param>
    /// <param name="Detail">Why there is no answer, for the exception's message; empty for a result, an error or a sent notification.</param>
    public sealed record ClientCallAnswer(ClientCallOutcome Outcome, byte[] Payload, string Detail) : IDeadLetterSuppression
    {
        /// <summary>An answer without payload.</summary>
        public static ClientCallAnswer Because(ClientCallOutcome outcome, string detail) => new(outcome, [], detail);
    }
}

/// <summary>How a call to a client ended; what a <see cref="ClientCallProtocol.ClientCallAnswer"/> says.</summary>
/// <remarks>Crosses the cluster as a byte: values are never renumbered, only added.</remarks>
internal enum ClientCallOutcome : byte
{
    /// <summary>The client answered with a result.</summary>
    Result = 0,

    /// <summary>The client answered with an error object.</summary>
    Error = 1,

    /// <summary>The notification is queued on the client's socket.</summary>
    Sent = 2,

    /// <summary>No such session, or its connection ended before the answer (<see cref="RpcClientGoneException"/>).</summary>
    Gone = 3,

    /// <summary>No answer within ActorRpc:Limits:ClientCallTimeout (<see cref="TimeoutException"/>).</summary>
    TimedOut = 4,

    /// <summary>Refused before sending: too many calls waiting, or a client that reads too slowly (<see cref="InvalidOperationException"/>).</summary>
    Refused = 5,

    /// <summary>The session is an HTTP exchange, which cannot be called (<see cref="NotSupportedException"/>).</summary>
    NotSupported = 6,
}
