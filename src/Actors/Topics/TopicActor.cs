using Akka.Actor;
using Akka.Cluster.Tools.PublishSubscribe;
using Akka.Event;
using ActorRpc.Actors.Diagnostics;
using ActorRpc.Actors.Sessions;

namespace ActorRpc.Actors.Topics;

/// <summary>
/// One topic on one node: the node's subscriber sessions (watched, so none outlives its
/// connection), the topic's retained state, and the node's one subscription to the cluster's
/// mediator, so a notify crosses to this node once and is fanned out here.
/// </summary>
/// <remarks>
/// A pattern topic (prunable) offers to go (<see cref="Idle"/>) once it holds nothing: no
/// subscriber and no retained state. Retained state alone keeps it only for the retained TTL
/// (ActorRpc:Limits:RetainedPatternTopicTtl): a timer runs while it has no subscriber, restarted by
/// each retained publish; when it fires the state is dropped and the topic is idle (issue #12:
/// retained names left behind by clients piled up, each with an actor and a registration).
/// </remarks>
internal sealed class TopicActor : ReceiveActor, IWithTimers
{
    private readonly string _topic;
    private readonly bool _prunable;
    private readonly RpcMetrics _metrics;
    private readonly TimeSpan? _retainedTtl;
    private readonly string _label;
    private readonly HashSet<IActorRef> _subscribers = [];
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private SessionProtocol.Deliver? _state;

    public TopicActor(string topic, bool prunable, RpcMetrics metrics, TimeSpan? retainedTtl)
    {
        _topic = topic;
        _prunable = prunable;
        _metrics = metrics;
        _retainedTtl = retainedTtl;

        // A pattern topic's name is the client's choice: it is counted under its pattern.
        _label = metrics.TopicLabel(topic);

        Receive<TopicProtocol.TopicNotification>(OnNotification);
        Receive<TopicProtocol.Subscribe>(subscribe =>
        {
            if (_subscribers.Add(subscribe.Session))
            {
                Timers.Cancel(RetainedStateExpired.Instance);
                Context.WatchWith(subscribe.Session, new SubscriberGone(subscribe.Session));
                _metrics.SubscriptionsChanged(_label, 1);
            }

            // The state goes right after the subscription, so it precedes any later notify.
            if (_state is not null)
            {
                subscribe.Session.Tell(_state);
            }
        });
        Receive<TopicProtocol.Unsubscribe>(unsubscribe => Remove(unsubscribe.Session));
        Receive<SubscriberGone>(gone => Remove(gone.Session));
        Receive<TopicProtocol.GetRegistrations>(_ => Sender.Tell(new TopicProtocol.TopicRegistrations(_topic, _subscribers.Count)));
        Receive<SubscribeAck>(_ => _log.Debug("Topic [{0}] subscribed to the cluster mediator", _topic));
        Receive<RetainedStateExpired>(_ =>
        {
            if (_subscribers.Count > 0 || _state is null)
            {
                return; // A subscriber came (its timer was cancelled, this one was already queued), or nothing to drop.
            }

            _log.Debug("Pattern topic [{0}] dropped its retained state: no subscriber for {1} (ActorRpc:Limits:RetainedPatternTopicTtl)", _topic, _retainedTtl);
            _state = null;
            Context.Parent.Tell(new Idle(_topic));
        });
        Receive<Prune>(_ =>
        {
            // Subscriptions that reached us after we reported idle win: then we stay.
            if (_subscribers.Count == 0 && _state is null)
            {
                Context.Stop(Self);
            }
            else
            {
                Context.Parent.Tell(new PruneDeclined(_topic));
            }
        });
    }

    public ITimerScheduler Timers { get; set; } = null!;

    /// <param name="topic">The topic.</param>
    /// <param name="prunable">A pattern topic, which stops once it holds nothing; declared topics live with the node.</param>
    /// <param name="metrics">Where subscriptions are counted.</param>
    /// <param name="retainedTtl">How long a prunable topic keeps retained state with no subscriber; null: for ever.</param>
    public static Props Props(string topic, bool prunable, RpcMetrics metrics, TimeSpan? retainedTtl) =>
        Akka.Actor.Props.Create(() => new TopicActor(topic, prunable, metrics, retainedTtl));


    protected override void PostStop()
    {
        // Only a stopping node stops a topic that still has subscribers; the gauge must not keep them.
        if (_subscribers.Count > 0)
        {
            _metrics.SubscriptionsChanged(_label, -_subscribers.Count);
        }

        base.PostStop();
    }

    private void OnNotification(TopicProtocol.TopicNotification notification)
    {
        // One Deliver for all subscribers: the frame was serialized once, by the publisher.
        var deliver = new SessionProtocol.Deliver(notification.Frame);
        if (notification.Retain)
        {
            _state = deliver;
            StartRetainedTtlIfUnwatched();
        }

        foreach (var session in _subscribers)
        {
            session.Tell(deliver);
        }
    }

    private void Remove(IActorRef session)
    {
        if (_subscribers.Remove(session))
        {
            Context.Unwatch(session);
            _metrics.SubscriptionsChanged(_label, -1);

            // A pattern topic with no one left and nothing retained is only memory: offer to go.
            if (_prunable && _subscribers.Count == 0 && _state is null)
            {
                Context.Parent.Tell(new Idle(_topic));
            }
            else
            {
                StartRetainedTtlIfUnwatched();
            }
        }
    }

    // No subscriber here and state retained: the state (and so this pattern topic) lives on for the TTL from now.
    private void StartRetainedTtlIfUnwatched()
    {
        if (_prunable && _retainedTtl is { } ttl && _subscribers.Count == 0 && _state is not null)
        {
            Timers.StartSingleTimer(RetainedStateExpired.Instance, RetainedStateExpired.Instance, ttl);
        }
    }

    /// <summary>To the parent: this prunable topic has no subscriber left.</summary>
    internal sealed record Idle(string Topic) : INoSerializationVerificationNeeded;

    /// <summary>To the parent: a subscriber arrived meanwhile (or state was retained); the topic stays.</summary>
    internal sealed record PruneDeclined(string Topic) : INoSerializationVerificationNeeded;

    /// <summary>From the parent: stop if still idle.</summary>
    internal sealed class Prune : INoSerializationVerificationNeeded
    {
        private Prune()
        {
        }

        public static Prune Instance { get; } = new();
    }

    /// <summary>Timer: the retained state of this pattern topic has had no subscriber for the TTL.</summary>
    private sealed class RetainedStateExpired : INoSerializationVerificationNeeded, IDeadLetterSuppression
    {
        private RetainedStateExpired()
        {
        }

        public static RetainedStateExpired Instance { get; } = new();
    }

    private sealed record SubscriberGone(IActorRef Session) : INoSerializationVerificationNeeded, IDeadLetterSuppression;
}
