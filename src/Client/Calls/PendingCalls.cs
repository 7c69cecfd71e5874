using System.Text.Json;

namespace ActorRpc.Client;

/// <summary>
/// The calls sent on one connection and not yet answered, by id. Each connection has its own, so
/// when it drops exactly its calls fail (at once, with <see cref="RpcConnectionLostException"/>),
/// while calls waiting for the next connection are untouched.
/// </summary>
internal sealed class PendingCalls
{
    private readonly Dictionary<long, TaskCompletionSource<JsonElement>> _calls = [];
    private readonly Lock _lock = new();
    private Exception? _closed;

    /// <summary>Registers call <paramref name="id"/>; throws the connection's end reason when it already ended.</summary>
    public Task<JsonElement> Add(long id)
    {
        // Continuations run off the read loop: a caller's code never runs on (nor holds up) the reader.
        var call = new TaskCompletionSource<JsonElement>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_lock)
        {
            if (_closed is not null)
            {
                throw _closed;
            }

            _calls.Add(id, call);
        }

        return call.Task;
    }

    /// <summary>Answers call <paramref name="id"/> with its result; false when no such call waits.</summary>
    public bool TryComplete(long id, JsonElement result) => Take(id)?.TrySetResult(result) ?? false;

    /// <summary>Fails call <paramref name="id"/>; false when no such call waits.</summary>
    public bool TryFail(long id, Exception error) => Take(id)?.TrySetException(error) ?? false;

    /// <summary>Forgets call <paramref name="id"/> (its caller gave up).</summary>
    public void Remove(long id) => Take(id);

    /// <summary>Fails every waiting call with <paramref name="error"/>, and every call added from now on.</summary>
    public void FailAll(Exception error)
    {
        List<TaskCompletionSource<JsonElement>> calls;
        lock (_lock)
        {
            _closed ??= error;
            calls = [.. _calls.Values];
            _calls.Clear();
        }

        foreach (var call in calls)
        {
            call.TrySetException(error);
        }
    }

    private TaskCompletionSource<JsonElement>? Take(long id)
    {
        lock (_lock)
        {
            return _calls.Remove(id, out var call) ? call : null;
        }
    }
}
