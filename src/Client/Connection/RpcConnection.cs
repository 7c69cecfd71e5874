namespace ActorRpc.Client;

/// <summary>Why a connection ended: a description, and the error when there was one.</summary>
/// <param name="Reason">What ended it (the close status and description, or the error's message).</param>
/// <param name="Exception">The error that ended it, or null for a clean close.</param>
internal sealed record ConnectionEnd(string Reason, Exception? Exception);

/// <summary>
/// One connection to the server: a WebSocket for its lifetime (a reconnect makes a new one), or the
/// HTTP client of a calls-only client. It owns the calls sent on it (<see cref="Pending"/>).
/// </summary>
internal abstract class RpcConnection : IAsyncDisposable
{
    private readonly TaskCompletionSource<ConnectionEnd> _ended = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly CancellationTokenSource _lifetime = new();

    /// <summary>The calls sent on this connection and not answered yet.</summary>
    public PendingCalls Pending { get; } = new();

    /// <summary>True for a WebSocket (answers arrive on their own); false for HTTP (each POST's body holds its answers).</summary>
    public abstract bool IsDuplex { get; }

    /// <summary>Completes once, when the connection ended, with why.</summary>
    public Task<ConnectionEnd> Ended => _ended.Task;

    /// <summary>True once the connection ended.</summary>
    public bool IsEnded => _ended.Task.IsCompleted;

    /// <summary>Cancelled when the connection ends: the token of the client-side handlers the server started on it.</summary>
    public CancellationToken Lifetime => _lifetime.Token;

    /// <summary>
    /// Sends one message. On a WebSocket it returns once the message is queued for the single writer
    /// (in order); over HTTP once the server's answer was read and dispatched.
    /// Throws <see cref="RpcConnectionLostException"/> when the connection has ended.
    /// </summary>
    public abstract ValueTask SendAsync(ReadOnlyMemory<byte> message, CancellationToken cancellationToken);

    /// <summary>Closes the connection normally (1000), bounded by <paramref name="timeout"/>, then ends it.</summary>
    public abstract Task CloseAsync(TimeSpan timeout);

    /// <inheritdoc/>
    public virtual ValueTask DisposeAsync()
    {
        End(new ConnectionEnd("The client was disposed.", null));
        _lifetime.Dispose();
        return ValueTask.CompletedTask;
    }

    /// <summary>
    /// Ends the connection once: fails its calls at once, cancels its handlers, then completes <see cref="Ended"/>.
    /// Later calls do nothing.
    /// </summary>
    protected void End(ConnectionEnd end)
    {
        if (!_ended.TrySetResult(end))
        {
            return;
        }

        Pending.FailAll(new RpcConnectionLostException($"The connection was lost before the answer came: {end.Reason}", end.Exception));
        try
        {
            _lifetime.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // Disposed already: nothing is left to cancel.
        }
    }
}
