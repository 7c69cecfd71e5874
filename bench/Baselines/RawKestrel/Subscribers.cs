using System.Net.WebSockets;

/// <summary>
/// The subscriber list as a copy-on-write array: a broadcast reads it without a lock, and joins and
/// leaves (rare next to broadcasts) pay for the copy.
/// </summary>
internal sealed class Subscribers
{
    private readonly Lock _gate = new();
    private WebSocket[] _sockets = [];

    public void Add(WebSocket socket)
    {
        lock (_gate)
        {
            _sockets = [.. _sockets, socket];
        }
    }

    public void Remove(WebSocket socket)
    {
        lock (_gate)
        {
            _sockets = Array.FindAll(_sockets, s => !ReferenceEquals(s, socket));
        }
    }

    /// <summary>
    /// Starts the send on every subscriber without awaiting them in turn, then awaits only the ones
    /// that did not complete at once (on loopback most do). A failed send drops only that subscriber.
    /// </summary>
    public async Task BroadcastAsync(ReadOnlyMemory<byte> frame)
    {
        var sockets = Volatile.Read(ref _sockets);
        List<Task>? pending = null;
        foreach (var socket in sockets)
        {
            try
            {
                var send = socket.SendAsync(frame, WebSocketMessageType.Text, true, CancellationToken.None);
                if (!send.IsCompletedSuccessfully)
                {
                    (pending ??= []).Add(send.AsTask());
                }
            }
            catch (Exception ex) when (ex is WebSocketException or ObjectDisposedException)
            {
                // Closed meanwhile; its receive loop removes it.
            }
        }

        if (pending is not null)
        {
            try
            {
                await Task.WhenAll(pending).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is WebSocketException or ObjectDisposedException or OperationCanceledException)
            {
                // As above: one closed subscriber does not fail the broadcast.
            }
        }
    }
}
