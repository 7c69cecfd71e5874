namespace ActorRpc.Actors.Routing;

/// <summary>
/// Rate-limits the error log of handler faults, per method: the first unexpected fault of a method
/// in each <see cref="Window"/> is logged with its traceback; the others are only counted, and the
/// next logged fault of that method says how many were suppressed before it. A client that makes a
/// handler throw in a loop then costs one traceback per method per window, not one per call (issue
/// #12). Every fault is still counted in the request metrics (error code -32603). Thread-safe.
/// </summary>
/// <param name="window">How long after a logged fault further faults of the same method are only counted.</param>
/// <param name="nowMs">The clock in milliseconds (<see cref="Environment.TickCount64"/>; a test's own).</param>
internal sealed class FaultLogThrottle(TimeSpan window, Func<long> nowMs)
{
    /// <summary>One traceback per method per 10 s: enough to diagnose, too few to flood.</summary>
    public static readonly TimeSpan Window = TimeSpan.FromSeconds(10);

    private readonly Lock _lock = new();
    private readonly long _windowMs = (long)window.TotalMilliseconds;

    // Keyed by method name: only registered methods reach a router, so this stays as small as the catalog.
    private readonly Dictionary<string, MethodFaults> _methods = new(StringComparer.Ordinal);

    public FaultLogThrottle()
        : this(Window, static () => Environment.TickCount64)
    {
    }

    /// <summary>
    /// Whether this fault of <paramref name="method"/> is logged; if so, <paramref name="suppressed"/>
    /// is how many of its faults were not logged since the last one that was.
    /// </summary>
    public bool ShouldLog(string method, out long suppressed)
    {
        var now = nowMs();
        lock (_lock)
        {
            if (!_methods.TryGetValue(method, out var faults))
            {
                _methods[method] = faults = new MethodFaults();
            }
            else if (now < faults.QuietUntil)
            {
                faults.Suppressed++;
                suppressed = 0;
                return false;
            }

            suppressed = faults.Suppressed;
            faults.Suppressed = 0;
            faults.QuietUntil = now + _windowMs;
            return true;
        }
    }

    private sealed class MethodFaults
    {
        public long QuietUntil { get; set; }

        public long Suppressed { get; set; }
    }
}
