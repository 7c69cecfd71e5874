using System.Numerics;

namespace ActorRpc.Bench.Load;

/// <summary>
/// Microsecond latencies in log-linear buckets (exact below 128 µs, then 64 buckets per power of
/// two: under 1.6% error), like HdrHistogram. Fixed memory (~30 KB) whatever the sample count;
/// recording is lock-free, so all connections share one.
/// </summary>
internal sealed class LatencyHistogram
{
    private const int Linear = 128;
    private const int SubBuckets = 64;
    private readonly long[] _counts = new long[Linear + (SubBuckets * 57)];
    private long _max;

    public long Count
    {
        get
        {
            long total = 0;
            for (var i = 0; i < _counts.Length; i++)
            {
                total += Volatile.Read(ref _counts[i]);
            }

            return total;
        }
    }

    public long Max => Volatile.Read(ref _max);

    public void RecordTicks(long stopwatchTicks) => Record(stopwatchTicks * 1_000_000 / System.Diagnostics.Stopwatch.Frequency);

    public void Record(long micros)
    {
        micros = Math.Max(0, micros);
        Interlocked.Increment(ref _counts[Index(micros)]);
        var max = Volatile.Read(ref _max);
        while (micros > max)
        {
            var seen = Interlocked.CompareExchange(ref _max, micros, max);
            if (seen == max)
            {
                break;
            }

            max = seen;
        }
    }

    /// <summary>The value at quantile <paramref name="q"/> (0..1) in µs; 0 when empty.</summary>
    public double Quantile(double q)
    {
        var total = Count;
        if (total == 0)
        {
            return 0;
        }

        var rank = (long)Math.Ceiling(q * total);
        long seen = 0;
        for (var i = 0; i < _counts.Length; i++)
        {
            seen += _counts[i];
            if (seen >= Math.Max(1, rank))
            {
                return Math.Min(Value(i), Max);
            }
        }

        return Max;
    }

    private static int Index(long v)
    {
        if (v < Linear)
        {
            return (int)v;
        }

        var magnitude = 63 - BitOperations.LeadingZeroCount((ulong)v); // >= 7
        var shift = magnitude - 6;
        return Linear + ((magnitude - 7) * SubBuckets) + (int)((v >> shift) - SubBuckets);
    }

    /// <summary>The middle of bucket <paramref name="index"/>.</summary>
    private static double Value(int index)
    {
        if (index < Linear)
        {
            return index;
        }

        var magnitude = 7 + ((index - Linear) / SubBuckets);
        var mantissa = SubBuckets + ((index - Linear) % SubBuckets);
        var shift = magnitude - 6;
        var lower = (double)((long)mantissa << shift);
        return lower + ((1L << shift) / 2.0);
    }
}
