using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace ActorRpc.Testing;

/// <summary>
/// An <see cref="ILoggerProvider"/> that keeps every entry in memory, so a test can assert on what
/// the server logged. <see cref="ActorRpcTestServer"/> logs into one (its
/// <see cref="ActorRpcTestServer.Logs"/>) instead of the console; any other host can add one with
/// <c>builder.Logging.AddProvider(logs)</c>. The application's own log filters still apply, and
/// Akka.NET logs asynchronously, so wait for an entry with <see cref="WaitForAsync"/> rather than
/// reading <see cref="Entries"/> right after the action that logs it.
/// </summary>
/// <param name="minimumLevel">The lowest level kept: entries below it are not even formatted.</param>
public sealed class CapturedLogs(LogLevel minimumLevel = LogLevel.Information) : ILoggerProvider
{
    /// <summary>How long <see cref="WaitForAsync"/> waits when given no timeout: 30 seconds.</summary>
    public static readonly TimeSpan DefaultWaitTimeout = TimeSpan.FromSeconds(30);

    private readonly ConcurrentQueue<CapturedLogEntry> _entries = new();
    private readonly ConcurrentDictionary<Waiter, byte> _waiters = new();

    /// <summary>The lowest level kept.</summary>
    public LogLevel MinimumLevel => minimumLevel;

    /// <summary>Every entry kept so far, oldest first (a snapshot as it is enumerated).</summary>
    public IReadOnlyCollection<CapturedLogEntry> Entries => _entries;

    /// <summary>Creates the logger of one category.</summary>
    /// <param name="categoryName">The category.</param>
    /// <returns>A logger that adds its entries to this capture.</returns>
    public ILogger CreateLogger(string categoryName) => new CapturingLogger(categoryName, this);

    /// <summary>
    /// Completes with the first entry, already logged or still to come, that <paramref name="match"/> accepts.
    /// </summary>
    /// <param name="match">Which entry to wait for.</param>
    /// <param name="timeout">How long to wait; <see cref="DefaultWaitTimeout"/> when null.</param>
    /// <param name="cancellationToken">Stops waiting.</param>
    /// <returns>The matching entry.</returns>
    /// <exception cref="TimeoutException">No such entry was logged in time.</exception>
    public async Task<CapturedLogEntry> WaitForAsync(Func<CapturedLogEntry, bool> match, TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(match);
        var waiter = new Waiter(match);
        _waiters.TryAdd(waiter, 0);
        try
        {
            // Registered before looking at what is there, so an entry logged in between is offered too.
            foreach (var entry in _entries)
            {
                waiter.Offer(entry);
            }

            return await waiter.Task.WaitAsync(timeout ?? DefaultWaitTimeout, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _waiters.TryRemove(waiter, out _);
        }
    }

    /// <summary>Keeps the entries: they stay readable after the server that logged them stopped.</summary>
    public void Dispose()
    {
    }

    private void Add(CapturedLogEntry entry)
    {
        _entries.Enqueue(entry);
        foreach (var waiter in _waiters.Keys)
        {
            waiter.Offer(entry);
        }
    }

    private sealed class Waiter(Func<CapturedLogEntry, bool> match)
    {
        private readonly TaskCompletionSource<CapturedLogEntry> _found = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task<CapturedLogEntry> Task => _found.Task;

        public void Offer(CapturedLogEntry entry)
        {
            if (!_found.Task.IsCompleted && match(entry))
            {
                _found.TrySetResult(entry);
            }
        }
    }

    private sealed class CapturingLogger(string category, CapturedLogs logs) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= logs.MinimumLevel && logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (IsEnabled(logLevel))
            {
                logs.Add(new CapturedLogEntry(category, logLevel, eventId, formatter(state, exception), exception));
            }
        }
    }
}
