using System.Collections.Concurrent;
using System.Collections.Frozen;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Runtime.CompilerServices;
using ActorRpc.Methods.Topics;

namespace ActorRpc.Actors.Diagnostics;

/// <summary>
/// Every ActorRpc instrument, on one <see cref="Meter"/> named <see cref="MeterName"/>, and the one
/// place label values are chosen. Label values come only from what the server registered (method
/// names, topic names and patterns, error codes its own code raises), never from what a client
/// sent, so a client cannot grow the number of series: an unregistered method is counted under
/// <see cref="UnknownMethod"/>. See docs/observability.md for the list. Thread-safe.
/// </summary>
/// <remarks>
/// Every request is counted, timed and its handler tracked: four instrument updates, each a
/// tag-set lookup in every listener, on every request's path. So the counts (requests by method
/// and outcome, handlers running) are kept here, one <see cref="MethodCounters"/> per method label
/// with plain interlocked fields, and handed to listeners by observable instruments when they
/// collect; only the latency histogram is recorded per request, with tag arrays made once.
/// </remarks>
internal sealed class RpcMetrics
{
    /// <summary>The meter's name, to add to a metrics pipeline (<c>AddMeter("ActorRpc")</c>).</summary>
    public const string MeterName = "ActorRpc";

    /// <summary>The method label of a call to a method the node does not know.</summary>
    public const string UnknownMethod = "(unknown)";

    /// <summary>The method label of a message that is not a valid request (parse error, invalid request).</summary>
    public const string InvalidRequest = "(invalid)";

    /// <summary>The topic label of a topic no registered name or pattern covers (never expected).</summary>
    public const string UnknownTopic = "(unknown)";

    public const string MethodTag = "rpc.method";
    public const string OutcomeTag = "outcome";
    public const string ErrorCodeTag = "rpc.jsonrpc.error_code";
    public const string TransportTag = "actorrpc.transport";
    public const string TopicTag = "actorrpc.topic";
    public const string ReasonTag = "reason";
    public const string KindTag = "kind";

    /// <summary>The reason label of a request refused at ActorRpc:Limits:MaxNodeHandlers.</summary>
    public const string ServerBusy = "server_busy";

    /// <summary>The reason label of a request refused at ActorRpc:Limits:MessagesPerSecond.</summary>
    public const string RateLimited = "rate_limited";

    /// <summary>Upper bounds of the latency buckets, in seconds: from half a millisecond to half a minute.</summary>
    private static readonly double[] DurationBuckets = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

    private readonly FrozenDictionary<string, MethodCounters> _methods;
    private readonly FrozenSet<string> _topics;
    private readonly string[] _patterns;
    private readonly Histogram<double> _duration;
    private readonly UpDownCounter<long> _sessionsOpen;
    private readonly UpDownCounter<long> _subscriptions;
    private readonly Counter<long> _delivered;
    private readonly Counter<long> _dropped;
    private readonly Counter<long> _slowConsumers;
    private readonly Counter<long> _refused;
    private readonly Counter<long> _clusterSent;
    private readonly Counter<long> _clusterReceived;

    /// <param name="meterFactory">The host's factory, so the meter lives and dies with the node's services.</param>
    /// <param name="methods">Every method name the node serves, built-ins included: the only method label values besides the fixed ones.</param>
    /// <param name="topics">The node's topics: declared names and patterns are the only topic label values.</param>
    public RpcMetrics(IMeterFactory meterFactory, IEnumerable<string> methods, TopicCatalog topics)
    {
        _methods = methods.Append(UnknownMethod).Append(InvalidRequest).Distinct(StringComparer.Ordinal)
            .ToFrozenDictionary(m => m, m => new MethodCounters(m), StringComparer.Ordinal);
        _topics = topics.Topics.ToFrozenSet(StringComparer.Ordinal);
        _patterns = [.. topics.Patterns.OrderByDescending(p => p.Length)];

        var meter = meterFactory.Create(MeterName);
        meter.CreateObservableCounter(
            "actorrpc.requests", ObserveRequests, "{request}", "JSON-RPC requests and notifications handled, by method and outcome.");
        _duration = meter.CreateHistogram(
            "actorrpc.request.duration",
            "s",
            "Time from dispatch to response on the node that ran the method (or answered the request itself).",
            tags: null,
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = DurationBuckets });
        meter.CreateObservableUpDownCounter(
            "actorrpc.handlers.active", ObserveHandlersActive, "{handler}", "Method handlers running on this node.");
        _sessionsOpen = meter.CreateUpDownCounter<long>(
            "actorrpc.sessions.open", "{session}", "Open sessions: WebSocket connections and HTTP exchanges in progress.");
        _subscriptions = meter.CreateUpDownCounter<long>(
            "actorrpc.topic.subscriptions", "{subscription}", "Sessions of this node subscribed, by registered topic name or pattern.");
        _delivered = meter.CreateCounter<long>(
            "actorrpc.notifications.delivered", "{notification}", "Topic notifications queued for a subscriber's connection.");
        _dropped = meter.CreateCounter<long>(
            "actorrpc.notifications.dropped", "{notification}", "Topic notifications not delivered to a subscriber (its queue was full or it was closing).");
        _slowConsumers = meter.CreateCounter<long>(
            "actorrpc.sessions.slow_consumer_disconnects", "{session}", "Connections closed because the client read too slowly (ActorRpc:Limits:MaxOutboundQueue, MaxOutboundBytes or MaxNodeBufferedBytes).");
        _refused = meter.CreateCounter<long>(
            "actorrpc.requests.refused",
            "{request}",
            "Requests and notifications not run because of a limit, by reason (server_busy: ActorRpc:Limits:MaxNodeHandlers; rate_limited: ActorRpc:Limits:MessagesPerSecond) and kind (call, notification).");
        _clusterSent = meter.CreateCounter<long>(
            "actorrpc.cluster.notifications.sent", "{message}", "Topic notifications sent to other nodes: one per node serving the topic, whatever the number of subscribers there.");
        _clusterReceived = meter.CreateCounter<long>(
            "actorrpc.cluster.notifications.received", "{message}", "Topic notifications received from other nodes.");
    }

    /// <summary>The label of <paramref name="method"/>: itself when the node serves it, <see cref="UnknownMethod"/> otherwise.</summary>
    public string MethodLabel(string? method) => method is not null && _methods.TryGetValue(method, out var known) ? known.Label : UnknownMethod;

    /// <summary>The label of a concrete topic: its declared name, or the pattern that covers it.</summary>
    public string TopicLabel(string topic)
    {
        if (_topics.TryGetValue(topic, out var declared))
        {
            return declared;
        }

        foreach (var pattern in _patterns)
        {
            // Longest first, so the most specific pattern names the series.
            if (topic.Length >= pattern.Length && topic.AsSpan().StartsWith(pattern.AsSpan(0, pattern.Length - 1), StringComparison.Ordinal))
            {
                return pattern;
            }
        }

        return UnknownTopic;
    }

    /// <summary>Counts one handled request and records its latency.</summary>
    /// <param name="methodLabel">From <see cref="MethodLabel"/> or one of the fixed labels.</param>
    /// <param name="errorCode">The JSON-RPC error code of the answer, or null for success.</param>
    /// <param name="startTimestamp">When handling began, from <see cref="Stopwatch.GetTimestamp"/>.</param>
    public void RequestHandled(string methodLabel, int? errorCode, long startTimestamp)
    {
        var counters = Counters(methodLabel);
        var seconds = Stopwatch.GetElapsedTime(startTimestamp).TotalSeconds;
        if (errorCode is not { } code)
        {
            Interlocked.Increment(ref counters.Succeeded);
            _duration.Record(seconds, counters.SucceededTags);
            return;
        }

        counters.Failed(code);
        _duration.Record(seconds, new TagList { { MethodTag, methodLabel }, { OutcomeTag, "error" }, { ErrorCodeTag, code } });
    }

    public void HandlerStarted(string methodLabel) => Interlocked.Increment(ref Counters(methodLabel).Active);

    public void HandlerFinished(string methodLabel) => Interlocked.Decrement(ref Counters(methodLabel).Active);

    public void SessionOpened(string transport) => _sessionsOpen.Add(1, new KeyValuePair<string, object?>(TransportTag, transport));

    public void SessionClosed(string transport) => _sessionsOpen.Add(-1, new KeyValuePair<string, object?>(TransportTag, transport));

    /// <summary>Subscribers of a topic changed by <paramref name="delta"/>; <paramref name="topicLabel"/> from <see cref="TopicLabel"/>.</summary>
    public void SubscriptionsChanged(string topicLabel, int delta) => _subscriptions.Add(delta, new KeyValuePair<string, object?>(TopicTag, topicLabel));

    public void NotificationDelivered() => _delivered.Add(1);

    public void NotificationsDropped(int count) => _dropped.Add(count);

    public void SlowConsumerDisconnected() => _slowConsumers.Add(1);

    /// <summary>A request or notification a limit kept from running; <paramref name="reason"/> is <see cref="ServerBusy"/> or <see cref="RateLimited"/>.</summary>
    public void RequestRefused(string reason, bool notification) =>
        _refused.Add(1, new KeyValuePair<string, object?>(ReasonTag, reason), new KeyValuePair<string, object?>(KindTag, notification ? "notification" : "call"));

    /// <summary>A notification of <paramref name="topic"/> serialized for another node; tagged with its <see cref="TopicLabel"/>.</summary>
    public void ClusterNotificationSent(string topic) => _clusterSent.Add(1, new KeyValuePair<string, object?>(TopicTag, TopicLabel(topic)));

    /// <summary>A notification of <paramref name="topic"/> read from another node; tagged with its <see cref="TopicLabel"/>.</summary>
    public void ClusterNotificationReceived(string topic) => _clusterReceived.Add(1, new KeyValuePair<string, object?>(TopicTag, TopicLabel(topic)));

    // Labels come from MethodLabel or the fixed ones, all keys here; anything else is our bug, counted as unknown rather than lost.
    private MethodCounters Counters(string methodLabel) =>
        _methods.TryGetValue(methodLabel, out var counters) ? counters : _methods[UnknownMethod];

    private IEnumerable<Measurement<long>> ObserveRequests()
    {
        foreach (var counters in _methods.Values)
        {
            if (Volatile.Read(ref counters.Succeeded) is var succeeded and > 0)
            {
                yield return new Measurement<long>(succeeded, counters.SucceededTags);
            }

            foreach (var (code, count) in counters.Failures)
            {
                yield return new Measurement<long>(
                    Volatile.Read(ref count.Value),
                    new KeyValuePair<string, object?>(MethodTag, counters.Label),
                    new KeyValuePair<string, object?>(OutcomeTag, "error"),
                    new KeyValuePair<string, object?>(ErrorCodeTag, code));
            }
        }
    }

    private IEnumerable<Measurement<long>> ObserveHandlersActive()
    {
        foreach (var counters in _methods.Values)
        {
            // A method's series starts with its first handler, as it would with an up-down counter.
            if (counters.EverRan)
            {
                yield return new Measurement<long>(Volatile.Read(ref counters.Active), new KeyValuePair<string, object?>(MethodTag, counters.Label));
            }
        }
    }

    /// <summary>The counts of one method label, read by the observable instruments.</summary>
    private sealed class MethodCounters(string label)
    {
        public long Succeeded;
        public long Active;

        public string Label { get; } = label;

        public KeyValuePair<string, object?>[] SucceededTags { get; } = [new(MethodTag, label), new(OutcomeTag, "ok")];

        /// <summary>Answers by JSON-RPC error code; the codes a method answers are few (the server's own, and its handlers').</summary>
        public ConcurrentDictionary<int, StrongBox<long>> Failures { get; } = new();

        public bool EverRan => Volatile.Read(ref Succeeded) > 0 || !Failures.IsEmpty || Volatile.Read(ref Active) != 0;

        public void Failed(int code) => Interlocked.Increment(ref Failures.GetOrAdd(code, static _ => new StrongBox<long>()).Value);
    }
}
