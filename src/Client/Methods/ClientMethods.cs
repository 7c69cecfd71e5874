using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.Extensions.Logging;

namespace ActorRpc.Client;

/// <summary>
/// The client-side methods and the server's calls to them: each call runs off the read loop, is
/// answered with its result or an error (-32601 unknown, -32602 bad params, -32603 a handler that
/// threw, keeping internals here, or an <see cref="RpcCallException"/>'s own code, message and data),
/// and is cancelled by the server's <c>$/cancelRequest</c> on the same connection or when that
/// connection ends. At most <c>maxConcurrent</c> run at once: past it a call is answered -32001 at
/// once and a notification dropped, so the read loop never waits and a server cannot pile up handlers.
/// </summary>
internal sealed class ClientMethods(JsonSerializerOptions serializerOptions, int maxConcurrent, ILogger logger)
{
    private readonly ConcurrentDictionary<string, ClientMethod> _methods = new(StringComparer.Ordinal);

    // Keyed by connection too: the server numbers its calls per connection ("s:1" again after a reconnect).
    private readonly ConcurrentDictionary<(RpcConnection Connection, string Id), CancellationTokenSource> _running = new();
    private int _inFlight;

    /// <summary>Adds (or replaces) method <paramref name="name"/>; disposing the handle removes it.</summary>
    public IDisposable Add(string name, Delegate handler)
    {
        var method = new ClientMethod(name, handler);
        _methods[name] = method;
        return new Removal(() => _methods.TryRemove(new KeyValuePair<string, ClientMethod>(name, method)));
    }

    /// <summary>Whether a method of that name is registered.</summary>
    public bool Contains(string name) => _methods.ContainsKey(name);

    /// <summary>Starts the server's call <paramref name="id"/> and answers it on <paramref name="connection"/>.</summary>
    public void StartCall(RpcConnection connection, JsonElement id, string method, JsonElement? parameters)
    {
        var key = (connection, id.GetRawText());
        if (!TryEnter())
        {
            ClientLog.ServerCallRefused(logger, maxConcurrent, key.Item2);
            Answer(connection, key.Item2, RpcFrames.Error(id, RpcErrorCodes.TooManyServerCalls, "Too many calls from the server in progress (MaxConcurrentServerCalls)", null));
            return;
        }

        var cancellation = CancellationTokenSource.CreateLinkedTokenSource(connection.Lifetime);
        if (!_running.TryAdd(key, cancellation))
        {
            // A second call with a running call's id: a cancel could not tell them apart.
            cancellation.Dispose();
            Exit();
            ClientLog.DuplicateServerCall(logger, key.Item2);
            Answer(connection, key.Item2, RpcFrames.Error(id, RpcErrorCodes.InvalidRequest, "Duplicate id: a call with this id is still running", null));
            return;
        }

        _ = Task.Run(() => RunCallAsync(connection, key, cancellation, id, method, parameters));
    }

    /// <summary>Runs the server's notification of <paramref name="method"/> (nothing is answered; a failure is logged).</summary>
    public void StartNotification(RpcConnection connection, string method, JsonElement? parameters)
    {
        if (!_methods.TryGetValue(method, out var handler))
        {
            ClientLog.UnhandledNotification(logger, method);
            return;
        }

        if (!TryEnter())
        {
            ClientLog.ServerNotificationDropped(logger, maxConcurrent, method);
            return;
        }

        _ = Task.Run(async () =>
        {
            try
            {
                await handler.InvokeAsync(parameters, serializerOptions, connection.Lifetime).ConfigureAwait(false);
            }
#pragma warning disable CA1031 // Nobody waits for a notification: whatever its handler throws is logged, and that is all.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                ClientLog.HandlerFailed(logger, method, ex);
            }
            finally
            {
                Exit();
            }
        });
    }

    /// <summary>The server's <c>$/cancelRequest</c> <c>{"id": ...}</c>: cancels that running call, if any.</summary>
    public void Cancel(RpcConnection connection, JsonElement? parameters)
    {
        if (parameters is { ValueKind: JsonValueKind.Object } value && value.TryGetProperty("id", out var id)
            && _running.TryGetValue((connection, id.GetRawText()), out var running))
        {
            try
            {
                running.Cancel();
            }
            catch (ObjectDisposedException)
            {
                // It finished meanwhile.
            }
        }
    }

    private async Task RunCallAsync(RpcConnection connection, (RpcConnection, string Id) key, CancellationTokenSource cancellation, JsonElement id, string method, JsonElement? parameters)
    {
        byte[] answer;
        try
        {
            answer = await AnswerAsync(id, method, parameters, cancellation.Token).ConfigureAwait(false);
        }
        finally
        {
            _running.TryRemove(new KeyValuePair<(RpcConnection, string), CancellationTokenSource>(key, cancellation));
            cancellation.Dispose();
            Exit();
        }

        await SendAnswerAsync(connection, key.Id, answer).ConfigureAwait(false);
    }

    /// <summary>Sends an answer off the read loop (the outbox may be full, and the reader must not wait).</summary>
    private void Answer(RpcConnection connection, string id, byte[] answer) => _ = SendAnswerAsync(connection, id, answer);

    private async Task SendAnswerAsync(RpcConnection connection, string id, byte[] answer)
    {
        try
        {
            await connection.SendAsync(answer, CancellationToken.None).ConfigureAwait(false);
        }
        catch (RpcConnectionLostException)
        {
            ClientLog.AnswerLost(logger, id);
        }
    }

    /// <summary>Takes a slot among <c>maxConcurrent</c>; false when all are taken.</summary>
    private bool TryEnter()
    {
        if (Interlocked.Increment(ref _inFlight) <= maxConcurrent)
        {
            return true;
        }

        Interlocked.Decrement(ref _inFlight);
        return false;
    }

    private void Exit() => Interlocked.Decrement(ref _inFlight);

    private async Task<byte[]> AnswerAsync(JsonElement id, string method, JsonElement? parameters, CancellationToken cancellationToken)
    {
        if (!_methods.TryGetValue(method, out var handler))
        {
            return RpcFrames.Error(id, RpcErrorCodes.MethodNotFound, "Method not found", null);
        }

        try
        {
            var result = await handler.InvokeAsync(parameters, serializerOptions, cancellationToken).ConfigureAwait(false);
            return RpcFrames.Result(id, result ?? NullElement);
        }
        catch (RpcCallException ex)
        {
            return RpcFrames.Error(id, ex.Code, ex.Message, ex.ErrorData);
        }
        catch (ClientParamsException ex)
        {
            return RpcFrames.Error(id, RpcErrorCodes.InvalidParams, ex.Message, null);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return RpcFrames.Error(id, RpcErrorCodes.RequestCancelled, "Request cancelled", null);
        }
#pragma warning disable CA1031 // Any other failure is answered -32603; its details stay in this process's log.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            ClientLog.HandlerFailed(logger, method, ex);
            return RpcFrames.Error(id, RpcErrorCodes.InternalError, "Internal error", null);
        }
    }

    private static readonly JsonElement NullElement = JsonDocument.Parse("null").RootElement;

    /// <summary>The handle <see cref="Add"/> returns.</summary>
    private sealed class Removal(Action remove) : IDisposable
    {
        private int _done;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _done, 1) == 0)
            {
                remove();
            }
        }
    }
}
