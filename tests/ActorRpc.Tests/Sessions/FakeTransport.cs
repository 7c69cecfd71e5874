using System.Collections.Concurrent;
using System.Net.WebSockets;
using System.Text;
using ActorRpc.Actors.Sessions;

namespace ActorRpc.Tests.Sessions;

/// <summary>A transport that records what the session writes and keeps the in-flight count as a WebSocket would.</summary>
internal sealed class FakeTransport : ISessionTransport
{
    private readonly ConcurrentQueue<string> _sent = new();
    private int _inFlight;
    private int _awaitedAnswers;
    private long _releasedBytes;

    public IReadOnlyList<string> Sent => [.. _sent];

    public volatile bool Full;

    /// <summary>The setting a refused notification names (while <see cref="Full"/>).</summary>
    public OutboundLimit RefusedBy { get; set; } = OutboundLimit.MaxOutboundQueue;
    public volatile bool Completed;

    public SessionCloseReason? ClosedWith { get; private set; }

    public int InFlight => Volatile.Read(ref _inFlight);

    public bool TryNotify(byte[] frame, out OutboundLimit refusedBy)
    {
        refusedBy = Full ? RefusedBy : OutboundLimit.None;
        if (Full)
        {
            return false;
        }

        _sent.Enqueue(Encoding.UTF8.GetString(frame));
        return true;
    }

    public void Reply(ResponseFrame frame, int requests, long messageBytes = 0)
    {
        _sent.Enqueue(Encoding.UTF8.GetString(frame.Memory.Span));
        frame.Return();
        Release(requests, messageBytes);
    }

    public void AddInFlight(int requests) => Interlocked.Add(ref _inFlight, requests);

    /// <summary>The server's calls to the client waiting for answers, as the session reported them.</summary>
    public int AwaitedAnswers => Volatile.Read(ref _awaitedAnswers);

    public void AwaitAnswers(int change) => Interlocked.Add(ref _awaitedAnswers, change);

    public void Release(int requests, long messageBytes = 0)
    {
        Interlocked.Add(ref _inFlight, -requests);
        Interlocked.Add(ref _releasedBytes, messageBytes);
    }

    /// <summary>Message bytes settled so far (the session never adds them: a WebSocket counts them on receipt).</summary>
    public long ReleasedBytes => Interlocked.Read(ref _releasedBytes);

    public void Close(SessionCloseReason reason) => ClosedWith = reason;

    public void Complete() => Completed = true;
}
