using System.Text.Json;

namespace ActorRpc.Client;

/// <summary>Batches: several calls and notifications in one message.</summary>
public sealed partial class ActorRpcClient
{
    /// <summary>
    /// Sends the calls and notifications <paramref name="build"/> adds as one batch (one message),
    /// and completes once every call in it is answered; each call's own task holds its result or
    /// error. A batch of notifications only expects no answer and completes once sent.
    /// </summary>
    /// <param name="build">Adds the entries, e.g. <c>b =&gt; { sum = b.Call&lt;long&gt;("add", 1, 2); b.Notify("echo", "x"); }</c>.</param>
    /// <param name="cancellationToken">Cancels the batch: its unanswered calls fail with <see cref="OperationCanceledException"/> and <c>$/cancelRequest</c> is sent for each.</param>
    /// <returns>Completes when every call of the batch is settled.</returns>
    /// <exception cref="TimeoutException">Not every call was answered within <see cref="ActorRpcClientOptions.DefaultTimeout"/> (those calls fail the same way).</exception>
    public async Task BatchAsync(Action<RpcBatch> build, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(build);
        ThrowIfDisposed();
        var batch = new RpcBatch(NextId, _options.SerializerOptions);
        build(batch);
        var entries = batch.Entries;
        if (entries.Count == 0)
        {
            return;
        }

        using var deadline = new CallDeadline(cancellationToken, _options.DefaultTimeout, _options.TimeProvider);
        var token = deadline.Token;
        var calls = entries.Where(entry => entry.Id is not null).ToList();
        RpcConnection? connection = null;
        var sent = false;
        try
        {
            connection = await _supervisor.GetConnectionAsync(token).ConfigureAwait(false);
            var settled = calls.Select(call => SettleAsync(connection.Pending.Add(call.Id!.Value), call)).ToList();
            var frame = RpcFrames.Batch([.. entries.Select(entry => (entry.Id, entry.Method, entry.Parameters))]);
            await connection.SendAsync(frame, token).ConfigureAwait(false);
            sent = true;
            if (!connection.IsDuplex)
            {
                // Over HTTP the POST's body held every answer there will be.
                foreach (var call in calls)
                {
                    connection.Pending.TryFail(call.Id!.Value, new RpcConnectionLostException($"The server's HTTP answer did not include the call to '{call.Method}'."));
                }
            }

            await Task.WhenAll(settled).WaitAsync(token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
            var error = deadline.Ended("The batch");
            foreach (var call in calls)
            {
                connection?.Pending.Remove(call.Id!.Value);
                if (sent && connection is { IsDuplex: true })
                {
                    CancelOnServer(connection, call.Id!.Value);
                }

                call.Fail!(error);
            }

            throw error;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            foreach (var call in calls)
            {
                connection?.Pending.Remove(call.Id!.Value);
                call.Fail!(ex);
            }

            throw;
        }
    }

    private static async Task SettleAsync(Task<JsonElement> answer, BatchEntry call)
    {
        try
        {
            call.Complete!(await answer.ConfigureAwait(false));
        }
#pragma warning disable CA1031 // The call's error belongs to its own task, where the application awaits it.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            call.Fail!(ex);
        }
    }
}
