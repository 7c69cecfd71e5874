using System.Text.Json;

namespace ActorRpc.Client;

/// <summary>Topic subscriptions, and making them again after a reconnect.</summary>
public sealed partial class ActorRpcClient
{
    private const string SubscribeMethod = "subscribe";
    private const string UnsubscribeMethod = "unsubscribe";

    /// <summary>
    /// Subscribes to <paramref name="topic"/> and returns once the server confirmed. Enumerate the
    /// subscription for each notification's data; dispose it to unsubscribe. It survives reconnects.
    /// </summary>
    /// <typeparam name="T">The type each notification's data is read as.</typeparam>
    /// <param name="topic">The topic's name (a concrete name under a pattern topic).</param>
    /// <param name="cancellationToken">Cancels subscribing.</param>
    /// <returns>The live subscription.</returns>
    /// <exception cref="RpcCallException">The server refused (unknown topic -32602, -32010, -32011...).</exception>
    /// <exception cref="NotSupportedException">The client is connected over HTTP.</exception>
    public async Task<RpcSubscription<T>> SubscribeAsync<T>(string topic, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(topic);
        RequireWebSocket("Subscriptions");
        var subscription = new RpcSubscription<T>(topic, _options.SubscriptionBufferSize, _options.SerializerOptions, UnsubscribeAsync, _logger);

        // Registered before asking, so a retained state sent right after the confirmation is not missed.
        _subscriptions.Add(subscription);
        try
        {
            await InvokeAsync(SubscribeMethod, TopicParams(topic), null, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            _subscriptions.Remove(subscription);
            ((ISubscriptionSink)subscription).Complete(null);
            throw;
        }

        return subscription;
    }

    private static JsonElement TopicParams(string topic) => JsonSerializer.SerializeToElement(new[] { topic }, ClientJsonContext.Default.StringArray);

    /// <summary>Forgets a disposed subscription and, when it was its topic's last, tells the server (best effort).</summary>
    private async ValueTask UnsubscribeAsync(ISubscriptionSink subscription)
    {
        if (!_subscriptions.Remove(subscription) || Volatile.Read(ref _disposed) != 0 || State != RpcConnectionState.Connected)
        {
            // Not subscribed on the server any more, or no connection to tell: a reconnect will not make it again.
            return;
        }

        try
        {
            await InvokeAsync(UnsubscribeMethod, TopicParams(subscription.Topic), null, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is RpcConnectionLostException or TimeoutException or RpcCallException or ObjectDisposedException)
        {
            ClientLog.UnsubscribeFailed(_logger, subscription.Topic, ex);
        }
    }

    /// <summary>Subscribes again, on a new connection, to every topic with a live subscription; a refusal ends that topic's subscriptions.</summary>
    private async Task<int> RestoreSubscriptionsAsync(RpcConnection connection, CancellationToken cancellationToken)
    {
        var topics = _subscriptions.Topics();
        await Task.WhenAll(topics.Select(async topic =>
        {
            try
            {
                await InvokeAsync(SubscribeMethod, TopicParams(topic), null, cancellationToken, connection).ConfigureAwait(false);
            }
            catch (RpcCallException ex)
            {
                ClientLog.ResubscribeFailed(_logger, topic, ex);
                _subscriptions.Fail(topic, ex);
            }
        })).ConfigureAwait(false);
        return topics.Count;
    }
}
