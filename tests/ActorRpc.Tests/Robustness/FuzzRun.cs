using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using ActorRpc.Testing;
using ActorRpc.Tests.Infrastructure;
using Microsoft.Extensions.Logging;
using Xunit.Abstractions;

namespace ActorRpc.Tests.Robustness;

/// <summary>
/// What the fuzz runs over WebSockets (<see cref="FuzzSpec"/>) and over HTTP (<see cref="HttpFuzzSpec"/>)
/// share: small limits, so cases reach them (and the 1009 / 413 paths) without megabyte messages;
/// the seed; the server; and what in its log counts as unexpected.
/// </summary>
internal static class FuzzRun
{
    public const int MaxMessageSize = 64 * 1024;
    public const int MaxBatchSize = 50;
    public const int MaxJsonDepth = 64;
    public const int MaxReportedFailures = 20;
    private const int DefaultSeed = 4_2024;

    /// <summary>The run's seed: ACTORRPC_FUZZ_SEED replays a run; written to the test output.</summary>
    public static int Seed(ITestOutputHelper output, string run)
    {
        var seed = Environment.GetEnvironmentVariable("ACTORRPC_FUZZ_SEED") is { Length: > 0 } text
            ? int.Parse(text, CultureInfo.InvariantCulture)
            : DefaultSeed;
        output.WriteLine($"{run} seed {seed} (replay with ACTORRPC_FUZZ_SEED={seed})");
        return seed;
    }

    /// <summary>The demo node with the fuzz run's limits.</summary>
    public static Task<RpcServer> StartServerAsync() => RpcServer.StartAsync(
        null,
        $"--ActorRpc:Limits:MaxMessageSize={MaxMessageSize}",
        $"--ActorRpc:Limits:MaxBatchSize={MaxBatchSize}",
        $"--ActorRpc:Limits:MaxJsonDepth={MaxJsonDepth}");

    /// <summary>Warnings and errors are unexpected, except the demo's deliberate divide failures (by zero, or overflow).</summary>
    public static bool IsUnexpectedLog(CapturedLogEntry entry) =>
        entry.Level >= LogLevel.Warning
        && !(entry.Message.Contains("Method [divide] failed", StringComparison.Ordinal) && entry.Exception is ArithmeticException);

    public static string Preview(byte[] bytes, int length = 300)
    {
        var text = Encoding.UTF8.GetString(bytes, 0, Math.Min(bytes.Length, length));
        return bytes.Length > length ? $"{text}… ({bytes.Length} bytes)" : text;
    }
}

/// <summary>Cases taken by concurrent workers, up to <paramref name="maxCases"/>, and the failures they found.</summary>
internal class FuzzCases(int maxCases)
{
    public ConcurrentQueue<string> Failures { get; } = new();

    private int _cases;

    public int Cases => Volatile.Read(ref _cases);

    public bool TryTakeCase()
    {
        if (Interlocked.Increment(ref _cases) <= maxCases)
        {
            return true;
        }

        Interlocked.Decrement(ref _cases);
        return false;
    }
}
