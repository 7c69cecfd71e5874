using System.Text.Json;

namespace ActorRpc.Client;

/// <summary>
/// The live subscriptions by topic. Several may share a topic (each gets every notification); the
/// server is told to unsubscribe only when the last one goes. After a reconnect, <see cref="Topics"/>
/// is what is subscribed again.
/// </summary>
internal sealed class SubscriptionRegistry
{
    private readonly Dictionary<string, List<ISubscriptionSink>> _byTopic = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();

    /// <summary>Adds <paramref name="sink"/>; from now on its topic's notifications reach it.</summary>
    public void Add(ISubscriptionSink sink)
    {
        lock (_lock)
        {
            if (!_byTopic.TryGetValue(sink.Topic, out var sinks))
            {
                _byTopic[sink.Topic] = sinks = [];
            }

            sinks.Add(sink);
        }
    }

    /// <summary>Removes <paramref name="sink"/>; true when it was there and was its topic's last.</summary>
    public bool Remove(ISubscriptionSink sink)
    {
        lock (_lock)
        {
            if (!_byTopic.TryGetValue(sink.Topic, out var sinks) || !sinks.Remove(sink))
            {
                return false;
            }

            if (sinks.Count > 0)
            {
                return false;
            }

            _byTopic.Remove(sink.Topic);
            return true;
        }
    }

    /// <summary>Hands <paramref name="data"/> to every subscription of <paramref name="topic"/>; false when there is none.</summary>
    public bool TryDeliver(string topic, JsonElement data)
    {
        ISubscriptionSink[] sinks;
        lock (_lock)
        {
            if (!_byTopic.TryGetValue(topic, out var list))
            {
                return false;
            }

            sinks = [.. list];
        }

        foreach (var sink in sinks)
        {
            sink.Deliver(data);
        }

        return true;
    }

    /// <summary>The topics with at least one live subscription.</summary>
    public IReadOnlyList<string> Topics()
    {
        lock (_lock)
        {
            return [.. _byTopic.Keys];
        }
    }

    /// <summary>Ends every subscription of <paramref name="topic"/> with <paramref name="error"/> and forgets them.</summary>
    public void Fail(string topic, Exception error)
    {
        List<ISubscriptionSink>? sinks;
        lock (_lock)
        {
            _byTopic.Remove(topic, out sinks);
        }

        foreach (var sink in sinks ?? [])
        {
            sink.Complete(error);
        }
    }

    /// <summary>Ends every subscription (normally when <paramref name="error"/> is null) and forgets them.</summary>
    public void CompleteAll(Exception? error)
    {
        List<ISubscriptionSink> sinks;
        lock (_lock)
        {
            sinks = [.. _byTopic.Values.SelectMany(list => list)];
            _byTopic.Clear();
        }

        foreach (var sink in sinks)
        {
            sink.Complete(error);
        }
    }
}
