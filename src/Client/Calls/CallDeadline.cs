namespace ActorRpc.Client;

/// <summary>
/// What a call or a batch waits with: the caller's token and the call's timeout as one token, and,
/// once that token fired, which of the two ended the wait (the exception the caller gets).
/// </summary>
internal sealed class CallDeadline : IDisposable
{
    private readonly CancellationToken _caller;
    private readonly CancellationTokenSource? _timeout;
    private readonly CancellationTokenSource _linked;

    /// <param name="caller">The caller's token.</param>
    /// <param name="limit">The timeout; <see cref="Timeout.InfiniteTimeSpan"/> for none.</param>
    /// <param name="time">The clock the timeout runs on (<see cref="ActorRpcClientOptions.TimeProvider"/>).</param>
    public CallDeadline(CancellationToken caller, TimeSpan limit, TimeProvider time)
    {
        _caller = caller;
        Limit = limit;
        _timeout = limit == Timeout.InfiniteTimeSpan ? null : new CancellationTokenSource(limit, time);
        _linked = CancellationTokenSource.CreateLinkedTokenSource(caller, _timeout?.Token ?? CancellationToken.None);
    }

    /// <summary>The timeout.</summary>
    public TimeSpan Limit { get; }

    /// <summary>Fires when the caller cancels or the timeout passes.</summary>
    public CancellationToken Token => _linked.Token;

    /// <summary>
    /// Why <see cref="Token"/> fired, for <paramref name="what"/> ("The call to 'add'"):
    /// <see cref="OperationCanceledException"/> with the caller's token, or <see cref="TimeoutException"/>.
    /// </summary>
    public Exception Ended(string what) => _caller.IsCancellationRequested
        ? new OperationCanceledException($"{what} was cancelled.", null, _caller)
        : new TimeoutException($"{what} was not answered within {Limit}.");

    public void Dispose()
    {
        _linked.Dispose();
        _timeout?.Dispose();
    }
}
