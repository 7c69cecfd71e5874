using Microsoft.Extensions.Logging;
using Polly;
using Polly.Retry;

namespace ActorRpc.Client;

/// <summary>
/// Owns the client's current connection and its state: hands it to callers, watches it end, and
/// reconnects: a jittered first wait (<see cref="ReconnectBackoff"/>, growing while connections die
/// young), then a Polly retry pipeline (exponential backoff, jitter, capped delay, optional attempt limit).
/// </summary>
/// <remarks>
/// States: Connected → (the connection ends) → Reconnecting → (a new connection, subscriptions made
/// again) → Connected; Reconnecting → (attempts exhausted, or reconnect off) → Closed; any → (dispose) → Closed.
/// Callers waiting in <see cref="GetConnectionAsync"/> while reconnecting wait for the new connection
/// (bounded by their own timeout or token); once Closed they fail with <see cref="RpcConnectionLostException"/>.
/// </remarks>
internal sealed class ConnectionSupervisor(
    Func<CancellationToken, Task<RpcConnection>> connect,
    Func<RpcConnection, CancellationToken, Task<int>> restore,
    RpcReconnectOptions reconnect,
    TimeProvider timeProvider,
    ILogger logger) : IAsyncDisposable
{
    private static readonly TimeSpan CloseTimeout = TimeSpan.FromSeconds(5);

    private readonly CancellationTokenSource _disposing = new();
    private readonly Lock _lock = new();
    private TaskCompletionSource<RpcConnection> _ready = NewReady();
    private RpcConnection? _current;
    private volatile RpcConnectionState _state = RpcConnectionState.Connected;
    private Task _watch = Task.CompletedTask;
    private DateTimeOffset _connectedAt;
    private int _youngDrops;

    /// <summary>Raised when the connection dropped and reconnecting starts.</summary>
    public event Action<RpcReconnectingEventArgs>? Reconnecting;

    /// <summary>Raised when a new connection is up and subscriptions are restored.</summary>
    public event Action<RpcReconnectedEventArgs>? Reconnected;

    /// <summary>Raised once, when closed for good.</summary>
    public event Action<RpcClosedEventArgs>? Closed;

    /// <summary>Where the connection stands.</summary>
    public RpcConnectionState State => _state;

    /// <summary>Makes the first connection (no retry: a bad address or token fails <c>ConnectAsync</c> at once).</summary>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var connection = await connect(cancellationToken).ConfigureAwait(false);
        if (!TryUse(connection))
        {
            await ShutAsync(connection).ConfigureAwait(false);
            throw new ObjectDisposedException(nameof(ActorRpcClient));
        }
    }

    /// <summary>The current connection; while reconnecting, waits for the next one (cancelled by <paramref name="cancellationToken"/>).</summary>
    public async ValueTask<RpcConnection> GetConnectionAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            var ready = Volatile.Read(ref _ready);
            var connection = await ready.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
            if (!connection.IsEnded)
            {
                return connection;
            }

            // It ended a moment ago and the watcher has not swapped in a new wait yet: let it run.
            await connection.Ended.ConfigureAwait(false);
            await Task.Yield();
        }
    }

    /// <summary>Closes the connection normally (1000), stops reconnecting, and fails whoever waits for a connection.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_disposing.IsCancellationRequested)
        {
            return;
        }

        await _disposing.CancelAsync().ConfigureAwait(false);
        RpcConnection? connection;
        Task watch;
        lock (_lock)
        {
            // From here TryUse refuses: the connection and watcher read now are the last ones.
            connection = _current;
            watch = _watch;
            _state = RpcConnectionState.Closed;
            FailReady(new RpcConnectionLostException("The client was disposed."));
        }

        if (connection is not null)
        {
            await ShutAsync(connection).ConfigureAwait(false);
        }

        await watch.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        Raise(Closed, new RpcClosedEventArgs(null, "The client was disposed."), nameof(Closed));
        _disposing.Dispose();
    }

    private static TaskCompletionSource<RpcConnection> NewReady() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Closes normally (bounded) and disposes a connection nobody else will.</summary>
    private static async Task ShutAsync(RpcConnection connection)
    {
        await connection.CloseAsync(CloseTimeout).ConfigureAwait(false);
        await connection.DisposeAsync().ConfigureAwait(false);
    }

    /// <summary>
    /// Takes <paramref name="connection"/> as the current one and starts watching it, in one locked
    /// step with the dispose check: a dispose either comes first (false: the caller shuts the
    /// connection) or sees this connection and its watcher (and closes it). Never neither.
    /// </summary>
    private bool TryUse(RpcConnection connection)
    {
        lock (_lock)
        {
            if (_disposing.IsCancellationRequested)
            {
                return false;
            }

            Publish(connection);
            _watch = WatchAsync(connection);
            return true;
        }
    }

    /// <summary>Makes <paramref name="connection"/> the current one and hands it to waiting callers (under the lock).</summary>
    private void Publish(RpcConnection connection)
    {
        _current = connection;
        _connectedAt = timeProvider.GetUtcNow();
        _state = RpcConnectionState.Connected;
        if (!_ready.TrySetResult(connection))
        {
            _ready = NewReady();
            _ready.SetResult(connection);
        }
    }

    private async Task WatchAsync(RpcConnection connection)
    {
        // Always yields: TryUse starts this under its lock, and the rest must not run there.
        var end = await connection.Ended.ConfigureAwait(ConfigureAwaitOptions.ForceYielding);
        lock (_lock)
        {
            if (_disposing.IsCancellationRequested || _current != connection)
            {
                return;
            }

            _youngDrops = ReconnectBackoff.StayedUp(reconnect, timeProvider.GetUtcNow() - _connectedAt) ? 0 : _youngDrops + 1;
            _ready = NewReady();
            _current = null;
            _state = reconnect.Enabled ? RpcConnectionState.Reconnecting : RpcConnectionState.Closed;
        }

        await connection.DisposeAsync().ConfigureAwait(false);
        if (!reconnect.Enabled)
        {
            Close(end.Exception, "The connection was lost and reconnect is off: " + end.Reason);
            return;
        }

        Raise(Reconnecting, new RpcReconnectingEventArgs(end.Exception, end.Reason), nameof(Reconnecting));
        await ReconnectAsync().ConfigureAwait(false);
    }

    private async Task ReconnectAsync()
    {
        var attempts = 0;
        try
        {
            // Polly's first attempt is immediate: this wait comes before it, jittered, and grows while
            // connections die young (a server that accepts then drops is not hammered).
#pragma warning disable CA5394 // Jitter, not security.
            var wait = ReconnectBackoff.FirstDelay(reconnect, Volatile.Read(ref _youngDrops), Random.Shared.NextDouble());
#pragma warning restore CA5394
            ClientLog.ReconnectWaiting(logger, wait);
            await Task.Delay(wait, timeProvider, _disposing.Token).ConfigureAwait(false);
            var next = await BuildPipeline().ExecuteAsync(
                async token =>
                {
                    attempts++;
                    var connection = await connect(token).ConfigureAwait(false);
                    try
                    {
                        var topics = await restore(connection, token).ConfigureAwait(false);
                        ClientLog.Reconnected(logger, attempts, topics);
                        return connection;
                    }
                    catch
                    {
                        // Restoring failed with the connection (it dropped again): this attempt failed.
                        await connection.DisposeAsync().ConfigureAwait(false);
                        throw;
                    }
                },
                _disposing.Token).ConfigureAwait(false);

            if (!TryUse(next))
            {
                // Disposed meanwhile: this connection is nobody's, so it is closed here.
                await ShutAsync(next).ConfigureAwait(false);
                return;
            }

            Raise(Reconnected, new RpcReconnectedEventArgs(attempts), nameof(Reconnected));
        }
        catch (OperationCanceledException) when (_disposing.IsCancellationRequested)
        {
            // Disposed while reconnecting: DisposeAsync raises Closed.
        }
#pragma warning disable CA1031 // The last attempt's error, whatever it is, closes the client and is handed to Closed.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            Close(ex, $"Reconnecting failed after {attempts} attempt(s): {ex.Message}");
        }
    }

    private ResiliencePipeline<RpcConnection> BuildPipeline()
    {
        var builder = new ResiliencePipelineBuilder<RpcConnection> { TimeProvider = timeProvider };
        var retries = reconnect.MaxAttempts is { } max ? max - 1 : int.MaxValue;
        if (retries > 0)
        {
            builder.AddRetry(new RetryStrategyOptions<RpcConnection>
            {
                ShouldHandle = new PredicateBuilder<RpcConnection>().Handle<Exception>(ex => ex is not OperationCanceledException || !_disposing.IsCancellationRequested),
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = reconnect.InitialDelay,
                MaxDelay = reconnect.MaxDelay,
                MaxRetryAttempts = retries,
                OnRetry = args =>
                {
                    ClientLog.ReconnectAttemptFailed(logger, args.AttemptNumber + 1, args.RetryDelay, args.Outcome.Exception);
                    return default;
                },
            });
        }

        return builder.Build();
    }

    private void Close(Exception? error, string reason)
    {
        lock (_lock)
        {
            _state = RpcConnectionState.Closed;
            FailReady(new RpcConnectionLostException(reason, error));
        }

        if (error is null)
        {
            ClientLog.Closed(logger, reason);
        }
        else
        {
            ClientLog.ClosedWithError(logger, reason, error);
        }

        Raise(Closed, new RpcClosedEventArgs(error, reason), nameof(Closed));
    }

    private void FailReady(Exception error)
    {
        if (!_ready.TrySetException(error))
        {
            _ready = NewReady();
            _ready.SetException(error);
        }

        // Nobody may be waiting: keep the failure from being reported as unobserved.
        _ = _ready.Task.Exception;
    }

    private void Raise<TArgs>(Action<TArgs>? handlers, TArgs args, string name)
    {
        if (handlers is null)
        {
            return;
        }

        foreach (var handler in handlers.GetInvocationList().Cast<Action<TArgs>>())
        {
            try
            {
                handler(args);
            }
#pragma warning disable CA1031 // An application's event handler must not stop reconnecting.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                ClientLog.EventHandlerFailed(logger, name, ex);
            }
        }
    }
}
