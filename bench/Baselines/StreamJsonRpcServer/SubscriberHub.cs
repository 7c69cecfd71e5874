using System.Text.Json;
using StreamJsonRpc;

namespace ActorRpc.Bench.StreamJsonRpcServer;

/// <summary>
/// Every subscribed connection, as a copy-on-write array. StreamJsonRpc has no serialize-once
/// broadcast, so each subscriber's JsonRpc formats the notification itself: that is what a user of
/// the library gets.
/// </summary>
internal sealed class SubscriberHub
{
    private readonly Lock _gate = new();
    private JsonRpc[] _subscribers = [];

    public void Add(JsonRpc rpc)
    {
        lock (_gate)
        {
            if (Array.IndexOf(_subscribers, rpc) < 0)
            {
                _subscribers = [.. _subscribers, rpc];
            }
        }
    }

    public void Remove(JsonRpc rpc)
    {
        lock (_gate)
        {
            _subscribers = Array.FindAll(_subscribers, s => !ReferenceEquals(s, rpc));
        }
    }

    /// <summary>Starts every notification without awaiting them in turn; a failed one drops only that subscriber.</summary>
    public async Task<bool> BroadcastAsync(string topic, JsonElement data)
    {
        var subscribers = Volatile.Read(ref _subscribers);
        var sends = new Task[subscribers.Length];
        for (var i = 0; i < subscribers.Length; i++)
        {
            sends[i] = subscribers[i].NotifyWithParameterObjectAsync(topic, data);
        }

        try
        {
            await Task.WhenAll(sends).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is ConnectionLostException or ObjectDisposedException or OperationCanceledException)
        {
            // A subscriber that went away meanwhile; its connection handler removes it.
        }

        return true;
    }
}
