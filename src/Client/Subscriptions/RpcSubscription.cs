using System.Text.Json;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;

namespace ActorRpc.Client;

/// <summary>
/// A live subscription to a topic (from <see cref="ActorRpcClient.SubscribeAsync{T}"/>): enumerate it
/// to read each notification's data as <typeparamref name="T"/>; dispose it to unsubscribe.
/// </summary>
/// <remarks>
/// <para>It survives reconnects: the client subscribes again on each new connection and the
/// enumeration goes on (notifications published while disconnected are not replayed).</para>
/// <para>Overflow: it buffers up to <see cref="ActorRpcClientOptions.SubscriptionBufferSize"/>
/// notifications for a reader slower than the topic; past that the <b>oldest is dropped</b> (logged
/// at Warning, counted in <see cref="Dropped"/>), so a slow reader never holds up the connection.</para>
/// <para>The enumeration ends when the subscription or the client is disposed (or the client closes
/// for good); it throws <see cref="RpcCallException"/> when re-subscribing after a reconnect was
/// refused, and <see cref="System.Text.Json.JsonException"/> for data that cannot be read as
/// <typeparamref name="T"/>. Enumerate it once at a time: concurrent enumerators share (split) the notifications.</para>
/// </remarks>
/// <typeparam name="T">The type each notification's data is read as (with the client's serializer options).</typeparam>
public sealed class RpcSubscription<T> : IAsyncEnumerable<T>, IAsyncDisposable, ISubscriptionSink
{
    private readonly Channel<JsonElement> _buffer;
    private readonly Func<ISubscriptionSink, ValueTask> _unsubscribe;
    private readonly JsonSerializerOptions _serializerOptions;
    private readonly ILogger _logger;
    private readonly int _capacity;
    private long _dropped;
    private int _disposed;

    internal RpcSubscription(string topic, int capacity, JsonSerializerOptions serializerOptions, Func<ISubscriptionSink, ValueTask> unsubscribe, ILogger logger)
    {
        Topic = topic;
        _capacity = capacity;
        _serializerOptions = serializerOptions;
        _unsubscribe = unsubscribe;
        _logger = logger;
        _buffer = Channel.CreateBounded<JsonElement>(
            new BoundedChannelOptions(capacity) { FullMode = BoundedChannelFullMode.DropOldest, SingleWriter = true },
            _ => OnDropped());
    }

    /// <summary>The topic subscribed to.</summary>
    public string Topic { get; }

    /// <summary>How many notifications were dropped because the buffer was full.</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    /// <inheritdoc/>
    public async IAsyncEnumerator<T> GetAsyncEnumerator(CancellationToken cancellationToken = default)
    {
        await foreach (var data in _buffer.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
        {
            yield return RpcParams.Read<T>(data, _serializerOptions)!;
        }
    }

    /// <summary>Unsubscribes (telling the server when this was the topic's last subscription) and ends the enumeration.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        try
        {
            await _unsubscribe(this).ConfigureAwait(false);
        }
        finally
        {
            _buffer.Writer.TryComplete();
        }
    }

    void ISubscriptionSink.Deliver(JsonElement data) => _buffer.Writer.TryWrite(data);

    void ISubscriptionSink.Complete(Exception? error) => _buffer.Writer.TryComplete(error);

    private void OnDropped()
    {
        Interlocked.Increment(ref _dropped);
        ClientLog.SubscriptionOverflow(_logger, Topic, _capacity);
    }
}
