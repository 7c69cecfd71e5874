using System.Text.Json;

namespace ActorRpc.Client;

/// <summary>
/// The calls and notifications of one batch, built inside <see cref="ActorRpcClient.BatchAsync"/>
/// and sent as one message. Each call's task completes with its own answer (or its own error).
/// </summary>
public sealed class RpcBatch
{
    private readonly List<BatchEntry> _entries = [];
    private readonly Func<long> _nextId;
    private readonly JsonSerializerOptions _serializerOptions;

    internal RpcBatch(Func<long> nextId, JsonSerializerOptions serializerOptions)
    {
        _nextId = nextId;
        _serializerOptions = serializerOptions;
    }

    internal IReadOnlyList<BatchEntry> Entries => _entries;

    /// <summary>Adds a call with positional params.</summary>
    /// <typeparam name="T">The result's type.</typeparam>
    /// <param name="method">The method's name.</param>
    /// <param name="args">The positional params.</param>
    /// <returns>The call's result, once the batch is answered; it fails with the call's own <see cref="RpcCallException"/>.</returns>
    public Task<T?> Call<T>(string method, params object?[] args) => AddCall<T>(method, RpcParams.Positional(args, _serializerOptions));

    /// <summary>Adds a call with named params (the members of <paramref name="args"/>).</summary>
    /// <typeparam name="T">The result's type.</typeparam>
    /// <param name="method">The method's name.</param>
    /// <param name="args">An object whose properties are the params.</param>
    /// <returns>The call's result, once the batch is answered.</returns>
    public Task<T?> CallNamed<T>(string method, object args) => AddCall<T>(method, RpcParams.Named(args, _serializerOptions));

    /// <summary>Adds a notification with positional params (nothing is answered for it).</summary>
    /// <param name="method">The method's name.</param>
    /// <param name="args">The positional params.</param>
    public void Notify(string method, params object?[] args)
    {
        ArgumentException.ThrowIfNullOrEmpty(method);
        _entries.Add(new BatchEntry(null, method, RpcParams.Positional(args, _serializerOptions), null, null));
    }

    private Task<T?> AddCall<T>(string method, JsonElement? parameters)
    {
        ArgumentException.ThrowIfNullOrEmpty(method);
        var answer = new TaskCompletionSource<T?>(TaskCreationOptions.RunContinuationsAsynchronously);
        var options = _serializerOptions;
        _entries.Add(new BatchEntry(
            _nextId(),
            method,
            parameters,
            result =>
            {
                try
                {
                    answer.TrySetResult(RpcParams.Read<T>(result, options));
                }
                catch (JsonException ex)
                {
                    answer.TrySetException(ex);
                }
            },
            error => answer.TrySetException(error)));
        return answer.Task;
    }
}

/// <summary>One entry of a batch: a call (with an id and what to do with its answer) or a notification.</summary>
internal sealed record BatchEntry(long? Id, string Method, JsonElement? Parameters, Action<JsonElement>? Complete, Action<Exception>? Fail);
