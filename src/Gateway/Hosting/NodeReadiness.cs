namespace ActorRpc.Gateway.Hosting;

/// <summary>
/// Whether the node still takes new connections. It stops, once and for good, when the node begins
/// to shut down (the host stopping, or the actor system's coordinated shutdown, e.g. a cluster
/// leave), and always before any socket is closed: a load balancer polling <c>/ready</c> sees the
/// node go unready no later than its clients see their 1001 close. Thread-safe.
/// </summary>
internal sealed class NodeReadiness
{
    private int _stopped;

    /// <summary>Raised once, synchronously, by the first <see cref="StopAccepting"/>, before it returns.</summary>
    public event Action<string>? StoppedAccepting;

    public bool IsAcceptingConnections => Volatile.Read(ref _stopped) == 0;

    /// <summary>The node takes no new connections from now on. Later calls do nothing and return false.</summary>
    /// <param name="reason">Why, for the log.</param>
    /// <returns>True for the call that made the node unready.</returns>
    public bool StopAccepting(string reason)
    {
        if (Interlocked.Exchange(ref _stopped, 1) != 0)
        {
            return false;
        }

        StoppedAccepting?.Invoke(reason);
        return true;
    }
}
