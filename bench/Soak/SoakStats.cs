using System.Collections.Concurrent;

namespace ActorRpc.Bench.Soak;

/// <summary>Request counters of one node's clients (callers and churn), updated with Interlocked.</summary>
internal sealed class NodeCounters
{
    public long Sent;
    public long Answered;
    public long Errors;

    /// <summary>An answer other than the one the method must give (wrong result, or wrong error code).</summary>
    public long Wrong;

    /// <summary>No reply within the reply timeout while the connection stayed open.</summary>
    public long TimedOut;

    /// <summary>The connection went while the node was being killed: not a loss.</summary>
    public long CutByRestart;

    /// <summary>The connection went while its node was up: every outstanding request on it is lost.</summary>
    public long CutUnexpectedly;

    /// <summary>Connections the server closed, or that failed, while the node was up (churn's own closes excluded).</summary>
    public long UnexpectedDisconnects;

    public long ConnectFailures;

    public long UnmatchedReplies;

    public long LostReplies => Interlocked.Read(ref TimedOut) + Interlocked.Read(ref CutUnexpectedly);
}

/// <summary>Everything the soak counts, shared by its workers.</summary>
internal sealed class SoakStats
{
    private readonly ConcurrentQueue<string> _samples = new();
    private int _sampleCount;

    public static SoakStats Instance { get; } = new();

    /// <summary>Index 1..3; index 0 is unused.</summary>
    public NodeCounters[] Nodes { get; } = Enumerable.Range(0, SoakOptions.Nodes + 1).Select(_ => new NodeCounters()).ToArray();

    public ConcurrentDictionary<int, long> ErrorsByCode { get; } = new();

    public long ChurnCycles;
    public long ChurnAborted;
    public long ChurnClosed;
    public long ChurnFailed;

    /// <summary>The first few anomalies, word for word, for the report.</summary>
    public IReadOnlyCollection<string> Samples => _samples;

    public void Sample(string text)
    {
        if (Interlocked.Increment(ref _sampleCount) <= 30)
        {
            _samples.Enqueue($"[{DateTime.UtcNow:HH:mm:ss.fff}] {text}");
        }
    }

    public void Error(int node, int code)
    {
        Interlocked.Increment(ref Nodes[node].Errors);
        ErrorsByCode.AddOrUpdate(code, 1, static (_, n) => n + 1);
    }

    public void UnmatchedReply(int node, string raw)
    {
        Interlocked.Increment(ref Nodes[node].UnmatchedReplies);
        Sample($"node{node}: reply with no pending request: {Truncate(raw)}");
    }

    public static string Truncate(string text) => text.Length <= 200 ? text : text[..200] + "…";
}
