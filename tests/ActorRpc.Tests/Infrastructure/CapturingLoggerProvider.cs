using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace ActorRpc.Tests.Infrastructure;

/// <summary>
/// Keeps every log entry of a test server in memory, so tests can assert on what was logged: from
/// Information up unless made with a lower <c>minimumLevel</c> (the application's own filters still apply).
/// </summary>
public sealed class CapturingLoggerProvider(LogLevel minimumLevel = LogLevel.Information) : ILoggerProvider
{
    private readonly ConcurrentQueue<LogEntry> _entries = new();
    private readonly ConcurrentDictionary<Waiter, byte> _waiters = new();

    public IReadOnlyCollection<LogEntry> Entries => _entries;

    public ILogger CreateLogger(string categoryName) => new CapturingLogger(categoryName, this, minimumLevel);

    /// <summary>Completes when an entry matching <paramref name="match"/> has been logged (Akka logs asynchronously).</summary>
    public Task<LogEntry> WaitForAsync(Func<LogEntry, bool> match)
    {
        var waiter = new Waiter(match);
        _waiters.TryAdd(waiter, 0);
        foreach (var entry in _entries)
        {
            waiter.Offer(entry);
        }

        return waiter.Task.DefaultTimeout();
    }

    private void Add(LogEntry entry)
    {
        _entries.Enqueue(entry);
        foreach (var waiter in _waiters.Keys)
        {
            if (waiter.Offer(entry))
            {
                _waiters.TryRemove(waiter, out _);
            }
        }
    }

    public void Dispose()
    {
    }

    public sealed record LogEntry(string Category, LogLevel Level, string Message, Exception? Exception)
    {
        public override string ToString() => $"{Level} {Category}: {Message} {Exception}";
    }

    private sealed class Waiter(Func<LogEntry, bool> match)
    {
        private readonly TaskCompletionSource<LogEntry> _found = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task<LogEntry> Task => _found.Task;

        public bool Offer(LogEntry entry) => match(entry) && _found.TrySetResult(entry);
    }

    private sealed class CapturingLogger(string category, CapturingLoggerProvider provider, LogLevel minimumLevel) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= minimumLevel && logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (IsEnabled(logLevel))
            {
                provider.Add(new LogEntry(category, logLevel, formatter(state, exception), exception));
            }
        }
    }
}
