using System.Diagnostics;
using System.Security.Claims;
using Akka.Actor;
using Akka.Event;
using ActorRpc.Actors.Diagnostics;

namespace ActorRpc.Actors.Routing;

/// <summary>One call on its way from a session to a method's router.</summary>
/// <param name="Sequence">The session's own number for the call; client ids may repeat, this never does.</param>
/// <param name="Method">The method name.</param>
/// <param name="Id">The raw JSON id, empty for a notification.</param>
/// <param name="Params">The raw JSON params, empty when absent.</param>
/// <param name="Context">What the handler may know about the call.</param>
/// <param name="CancellationToken">Cancelled when the call times out, the client cancels it, or the session ends.</param>
internal sealed record RpcCall(
    long Sequence,
    string Method,
    ReadOnlyMemory<byte> Id,
    ReadOnlyMemory<byte> Params,
    RpcContext Context,
    CancellationToken CancellationToken)
{
    public bool IsNotification => Id.IsEmpty;

    /// <summary>The span of the session's request, parent of the handler's; default when not traced.</summary>
    public ActivityContext TraceParent { get; init; }

    /// <summary>When this node took the call on (<see cref="Stopwatch.GetTimestamp"/>): the start of its latency.</summary>
    public long Started { get; init; } = Stopwatch.GetTimestamp();
}

/// <summary>Messages between sessions and method routers.</summary>
internal static class RouterProtocol
{
    /// <summary>Run <paramref name="Call"/> and send its <see cref="InvocationCompleted"/> to <paramref name="ReplyTo"/>.</summary>
    internal sealed record Invoke(RpcCall Call, IActorRef ReplyTo) : INoSerializationVerificationNeeded;

    /// <summary>
    /// A call routed to a node of the method's role. Everything in it crosses the network, so the
    /// receiving router rebuilds the handler's context with its own services. The session's span
    /// crosses as W3C <c>traceparent</c>/<c>tracestate</c> text, so the handler's span continues its trace.
    /// The caller's <see cref="User"/> crosses as its claims, so the receiving node evaluates the
    /// method's guard and the handler sees the same user; null for an anonymous caller, which costs
    /// nothing on the wire and reads back as an anonymous principal.
    /// </summary>
    internal sealed record RemoteInvoke(
        long Sequence,
        string Method,
        ReadOnlyMemory<byte> Id,
        ReadOnlyMemory<byte> Params,
        string SessionId,
        string? RemoteAddress,
        string Transport,
        IActorRef ReplyTo,
        string? TraceParent = null,
        string? TraceState = null,
        ClaimsPrincipal? User = null)
    {
        public static RemoteInvoke From(Invoke invoke) => new(
            invoke.Call.Sequence,
            invoke.Call.Method,
            invoke.Call.Id,
            invoke.Call.Params,
            invoke.Call.Context.SessionId,
            invoke.Call.Context.RemoteAddress,
            invoke.Call.Context.Transport,
            invoke.ReplyTo,
            RpcTracing.ToTraceParent(invoke.Call.TraceParent),
            invoke.Call.TraceParent.TraceState,
            AuthenticatedOrNull(invoke.Call.Context.User));

        public Invoke ToInvoke(IServiceProvider services, CancellationToken cancellationToken) => new(
            new RpcCall(Sequence, Method, Id, Params, new RpcContext(SessionId, RemoteAddress, Transport, Method, Id, services, User), cancellationToken)
            {
                TraceParent = RpcTracing.FromTraceParent(TraceParent, TraceState),
            },
            ReplyTo);

        // A session's user is authenticated or none at all (SessionIdentity.From keeps no other), so
        // a principal without an authenticated identity here is the context's own anonymous one: it
        // crosses as nothing, and the other node makes its own anonymous principal.
        private static ClaimsPrincipal? AuthenticatedOrNull(ClaimsPrincipal user) =>
            user.Identities.Any(static identity => identity.IsAuthenticated) ? user : null;
    }

    /// <summary>
    /// The session gave up on a call (timed out, cancelled by the client, or the session ended) and
    /// has answered it itself. The router stops what it runs for the call: an actor handler, or
    /// the token of a call routed here from another node. Broadcast to every node of a role, since
    /// the session does not know which one took the call; unknown calls are ignored.
    /// </summary>
    /// <remarks>Crosses nodes (see <c>ClusterMessageSerializer</c>).</remarks>
    internal sealed record CancelInvocation(long Sequence, IActorRef ReplyTo) : IDeadLetterSuppression;

    /// <summary>
    /// A call is over. <paramref name="Frame"/> is the complete response, or null for a
    /// notification (which still reports, so the session knows what is in flight).
    /// </summary>
    /// <remarks>Crosses nodes when the call was routed to another role (see <c>ClusterMessageSerializer</c>).</remarks>
    internal sealed record InvocationCompleted(long Sequence, byte[]? Frame) : IDeadLetterSuppression;

    /// <summary>A task-backed call routed here from another node finished: its token source can go.</summary>
    internal sealed record RoutedCallFinished(IActorRef ReplyTo, long Sequence) : INoSerializationVerificationNeeded, IDeadLetterSuppression;
}
