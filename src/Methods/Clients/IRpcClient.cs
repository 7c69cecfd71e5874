using System.Text.Json;

namespace ActorRpc;

/// <summary>
/// One connected WebSocket client, on whichever node of the cluster holds its socket: the server
/// calls the methods the client offers (JSON-RPC requests from the server to the client) or sends
/// it notifications. Get one from <see cref="RpcContext.Client"/> inside a handler, or from
/// <see cref="IRpcClients.Get"/> anywhere else.
/// </summary>
/// <remarks>
/// <para>
/// <b>Arguments.</b> <c>args</c> null sends no <c>params</c>; an array or any other sequence (not a
/// string) is sent as positional params; a <see cref="JsonElement"/> is sent as it is (it must be an
/// array or an object); anything else is serialized as a named-params object. Arguments are
/// serialized, and results deserialized, with <c>ActorRpc:Methods</c>' <c>SerializerOptions</c>.
/// </para>
/// <para>
/// <b>Failures.</b> The client answered with an error: <see cref="RpcClientException"/>. No such
/// connection, or it closed before answering, or its node left the cluster:
/// <see cref="RpcClientGoneException"/>, at once. No answer within
/// <c>ActorRpc:Limits:ClientCallTimeout</c>: <see cref="TimeoutException"/>. The cancellation
/// token fired: <see cref="OperationCanceledException"/> (the server forgets the call and sends the
/// client <c>$/cancelRequest</c>). Over <c>ActorRpc:Limits:MaxClientCallsInFlight</c> calls waiting on
/// one connection, or a client that reads too slowly to take the request: <see cref="InvalidOperationException"/>.
/// A connection that is an HTTP POST exchange cannot be called: <see cref="NotSupportedException"/>.
/// </para>
/// </remarks>
public interface IRpcClient
{
    /// <summary>The id of the client's connection (<see cref="RpcContext.SessionId"/>).</summary>
    string SessionId { get; }

    /// <summary>Calls <paramref name="method"/> on the client and returns its result read as <typeparamref name="T"/>.</summary>
    /// <typeparam name="T">The type the result is deserialized to.</typeparam>
    /// <param name="method">The client-side method's name, sent as it is.</param>
    /// <param name="args">The params: null for none, a sequence for positional, an object for named (see the remarks of <see cref="IRpcClient"/>).</param>
    /// <param name="cancellationToken">Stops waiting for the answer.</param>
    /// <returns>
    /// The client's result; null when it answered <c>null</c> and <typeparamref name="T"/> admits it
    /// (a result that does not fit <typeparamref name="T"/> throws <see cref="JsonException"/>).
    /// </returns>
    Task<T?> CallAsync<T>(string method, object? args = null, CancellationToken cancellationToken = default);

    /// <summary>Calls <paramref name="method"/> on the client and returns its result as it was sent.</summary>
    /// <param name="method">The client-side method's name, sent as it is.</param>
    /// <param name="args">The params: null for none, a sequence for positional, an object for named (see the remarks of <see cref="IRpcClient"/>).</param>
    /// <param name="cancellationToken">Stops waiting for the answer.</param>
    /// <returns>The client's result, a copy that outlives the call.</returns>
    Task<JsonElement> CallAsync(string method, object? args = null, CancellationToken cancellationToken = default);

    /// <summary>
    /// Sends the client a notification of <paramref name="method"/> (no id, never answered). Completes
    /// once the frame is queued on the client's socket, which holds it to the connection's outbound
    /// limits like a topic's notification.
    /// </summary>
    /// <param name="method">The notification's method name, sent as it is.</param>
    /// <param name="args">The params: null for none, a sequence for positional, an object for named (see the remarks of <see cref="IRpcClient"/>).</param>
    /// <param name="cancellationToken">Stops waiting for the frame to be queued.</param>
    /// <returns>A task that completes once the notification is queued.</returns>
    Task NotifyAsync(string method, object? args = null, CancellationToken cancellationToken = default);
}
