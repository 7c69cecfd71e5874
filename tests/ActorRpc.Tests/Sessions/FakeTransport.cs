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

    public IReadOnlyList<string> Sent => [.. _sent];

    public volatile bool Full;
    public volatile bool Completed;

    public SessionCloseReason? ClosedWith { get; private set; }

    public int InFlight => Volatile.Read(ref _inFlight);

    public bool TryNotify(byte[] frame)
    {
        if (Full)
        {
            return false;
        }

        _sent.Enqueue(Encoding.UTF8.GetString(frame));
        return true;
    }

    public void Reply(byte[] frame, int requests)
    {
        _sent.Enqueue(Encoding.UTF8.GetString(frame));
        Release(requests);
    }

    public void AddInFlight(int requests) => Interlocked.Add(ref _inFlight, requests);

    public void Release(int requests) => Interlocked.Add(ref _inFlight, -requests);

    public void Close(SessionCloseReason reason) => ClosedWith = reason;

    public void Complete() => Completed = true;
}
