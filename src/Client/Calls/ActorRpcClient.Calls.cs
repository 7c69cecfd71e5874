using System.Text.Json;

namespace ActorRpc.Client;

/// <summary>Calls and notifications.</summary>
public sealed partial class ActorRpcClient
{
    /// <summary>Calls <paramref name="method"/> with positional params and reads its result as <typeparamref name="T"/>, within the default timeout.</summary>
    /// <typeparam name="T">The result's type (<see cref="JsonElement"/> for the raw JSON).</typeparam>
    /// <param name="method">The method's name.</param>
    /// <param name="args">The positional params (none sends no <c>params</c>); for a token, use the overload that takes one.</param>
    /// <returns>The result; default when it is JSON null.</returns>
    /// <exception cref="RpcCallException">The server answered with an error.</exception>
    /// <exception cref="TimeoutException">No answer within <see cref="ActorRpcClientOptions.DefaultTimeout"/>.</exception>
    /// <exception cref="RpcConnectionLostException">The connection dropped before the answer came.</exception>
    public Task<T?> CallAsync<T>(string method, params object?[] args) => CallAsync<T>(method, args, CancellationToken.None);

    /// <summary>Calls <paramref name="method"/> with positional params, cancellable, within the default timeout.</summary>
    /// <typeparam name="T">The result's type.</typeparam>
    /// <param name="method">The method's name.</param>
    /// <param name="args">The positional params.</param>
    /// <param name="cancellationToken">Cancels the call: <c>$/cancelRequest</c> is sent and <see cref="OperationCanceledException"/> thrown.</param>
    /// <returns>The result; default when it is JSON null.</returns>
    public async Task<T?> CallAsync<T>(string method, object?[] args, CancellationToken cancellationToken) =>
        RpcParams.Read<T>(await InvokeAsync(method, RpcParams.Positional(args, _options.SerializerOptions), null, cancellationToken).ConfigureAwait(false), _options.SerializerOptions);

    /// <summary>Calls <paramref name="method"/> with positional params and its own timeout.</summary>
    /// <typeparam name="T">The result's type.</typeparam>
    /// <param name="method">The method's name.</param>
    /// <param name="args">The positional params.</param>
    /// <param name="timeout">How long to wait for the answer (<see cref="Timeout.InfiniteTimeSpan"/> for ever); then <see cref="TimeoutException"/>.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The result; default when it is JSON null.</returns>
    public async Task<T?> CallAsync<T>(string method, object?[] args, TimeSpan timeout, CancellationToken cancellationToken) =>
        RpcParams.Read<T>(await InvokeAsync(method, RpcParams.Positional(args, _options.SerializerOptions), timeout, cancellationToken).ConfigureAwait(false), _options.SerializerOptions);

    /// <summary>Calls <paramref name="method"/> with named params: the members of <paramref name="args"/> (an object, or a JSON object).</summary>
    /// <typeparam name="T">The result's type.</typeparam>
    /// <param name="method">The method's name.</param>
    /// <param name="args">An object whose properties are the params, such as <c>new { a = 2, b = 3 }</c>.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The result; default when it is JSON null.</returns>
#pragma warning disable RS0027 // New API: the short named form keeps its optional token, the timeout form requires one.
    public async Task<T?> CallNamedAsync<T>(string method, object args, CancellationToken cancellationToken = default) =>
        RpcParams.Read<T>(await InvokeAsync(method, RpcParams.Named(args, _options.SerializerOptions), null, cancellationToken).ConfigureAwait(false), _options.SerializerOptions);
#pragma warning restore RS0027

    /// <summary>Calls <paramref name="method"/> with named params and its own timeout.</summary>
    /// <typeparam name="T">The result's type.</typeparam>
    /// <param name="method">The method's name.</param>
    /// <param name="args">An object whose properties are the params.</param>
    /// <param name="timeout">How long to wait for the answer; then <see cref="TimeoutException"/>.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The result; default when it is JSON null.</returns>
    public async Task<T?> CallNamedAsync<T>(string method, object args, TimeSpan timeout, CancellationToken cancellationToken) =>
        RpcParams.Read<T>(await InvokeAsync(method, RpcParams.Named(args, _options.SerializerOptions), timeout, cancellationToken).ConfigureAwait(false), _options.SerializerOptions);

    /// <summary>Calls <paramref name="method"/> with raw params and returns the raw result: the untyped form.</summary>
    /// <param name="method">The method's name.</param>
    /// <param name="parameters">The params as JSON (an array or object), or null for none.</param>
    /// <param name="timeout">How long to wait for the answer; null for <see cref="ActorRpcClientOptions.DefaultTimeout"/>.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The result, as JSON.</returns>
#pragma warning disable RS0027 // New API: the untyped form is not an overload of the generic ones in use (it takes no type argument).
    public Task<JsonElement> CallAsync(string method, JsonElement? parameters = null, TimeSpan? timeout = null, CancellationToken cancellationToken = default)
#pragma warning restore RS0027
    {
        if (parameters is { ValueKind: not (JsonValueKind.Array or JsonValueKind.Object) } bad)
        {
            throw new ArgumentException($"Params must be a JSON array or object, not {bad.ValueKind}.", nameof(parameters));
        }

        return InvokeAsync(method, parameters, timeout, cancellationToken);
    }

    /// <summary>Sends a notification (no answer comes, errors included) with positional params.</summary>
    /// <param name="method">The method's name.</param>
    /// <param name="args">The positional params.</param>
    /// <returns>Completes once the message is queued for the socket (over HTTP, once the POST was answered).</returns>
    public Task NotifyAsync(string method, params object?[] args) => NotifyAsync(method, args, CancellationToken.None);

    /// <summary>Sends a notification with positional params, cancellable while it waits for the connection.</summary>
    /// <param name="method">The method's name.</param>
    /// <param name="args">The positional params.</param>
    /// <param name="cancellationToken">Cancels waiting for the connection or the send queue.</param>
    /// <returns>Completes once the message is queued for the socket (over HTTP, once the POST was answered).</returns>
    public Task NotifyAsync(string method, object?[] args, CancellationToken cancellationToken) =>
        SendNotificationAsync(method, RpcParams.Positional(args, _options.SerializerOptions), cancellationToken);

    /// <summary>Sends a notification with named params (the members of <paramref name="args"/>).</summary>
    /// <param name="method">The method's name.</param>
    /// <param name="args">An object whose properties are the params.</param>
    /// <param name="cancellationToken">Cancels waiting for the connection or the send queue.</param>
    /// <returns>Completes once the message is queued for the socket (over HTTP, once the POST was answered).</returns>
    public Task NotifyNamedAsync(string method, object args, CancellationToken cancellationToken = default) =>
        SendNotificationAsync(method, RpcParams.Named(args, _options.SerializerOptions), cancellationToken);

    /// <summary>
    /// Sends one request and waits for its answer on the connection it went out on (or on
    /// <paramref name="on"/>, for re-subscribing on a connection not yet handed to callers).
    /// </summary>
    internal async Task<JsonElement> InvokeAsync(string method, JsonElement? parameters, TimeSpan? timeout, CancellationToken cancellationToken, RpcConnection? on = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(method);
        ThrowIfDisposed();
        var limit = timeout ?? _options.DefaultTimeout;
        ActorRpcClientOptions.RequireTimeout(limit, nameof(timeout));
        using var deadline = new CallDeadline(cancellationToken, limit, _options.TimeProvider);
        var token = deadline.Token;
        var id = NextId();
        RpcConnection? connection = null;
        var sent = false;
        try
        {
            connection = on ?? await _supervisor.GetConnectionAsync(token).ConfigureAwait(false);
            var answer = connection.Pending.Add(id);
            await connection.SendAsync(RpcFrames.Message(id, method, parameters), token).ConfigureAwait(false);
            sent = true;
            if (!connection.IsDuplex && !answer.IsCompleted)
            {
                throw new RpcConnectionLostException($"The server's HTTP answer did not include the call to '{method}'.");
            }

            return await answer.WaitAsync(token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
            if (sent && connection is { IsDuplex: true })
            {
                CancelOnServer(connection, id);
            }

            throw deadline.Ended($"The call to '{method}'");
        }
        finally
        {
            // Answered calls are gone already; this forgets one that failed to send (an HTTP status, say).
            connection?.Pending.Remove(id);
        }
    }

    /// <summary>Tells the server to give up call <paramref name="id"/>; best effort (the connection may be gone).</summary>
    internal void CancelOnServer(RpcConnection connection, long id) => _ = SendCancelAsync(connection, id);

    private static async Task SendCancelAsync(RpcConnection connection, long id)
    {
        try
        {
            await connection.SendAsync(RpcFrames.CancelRequest(id), CancellationToken.None).ConfigureAwait(false);
        }
        catch (RpcConnectionLostException)
        {
            // The connection is gone, and the server cancelled the call with it.
        }
    }

    private async Task SendNotificationAsync(string method, JsonElement? parameters, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(method);
        ThrowIfDisposed();
        var connection = await _supervisor.GetConnectionAsync(cancellationToken).ConfigureAwait(false);
        await connection.SendAsync(RpcFrames.Message(null, method, parameters), cancellationToken).ConfigureAwait(false);
    }
}
