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
internal sealed class TopicActor : ReceiveActor
{
    private readonly string _topic;
    private readonly IActorRef _mediator;
    private readonly bool _prunable;
    private readonly RpcMetrics _metrics;
    private readonly string _label;
    private readonly HashSet<IActorRef> _subscribers = [];
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private SessionProtocol.Deliver? _state;

    public TopicActor(string topic, IActorRef mediator, bool prunable, RpcMetrics metrics)
    {
        _topic = topic;
        _mediator = mediator;
        _prunable = prunable;
        _metrics = metrics;

        // A pattern topic's name is the client's choice: it is counted under its pattern.
        _label = metrics.TopicLabel(topic);

        Receive<TopicProtocol.TopicNotification>(OnNotification);
        Receive<TopicProtocol.Subscribe>(subscribe =>
        {
            if (_subscribers.Add(subscribe.Session))
            {
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

    public static Props Props(string topic, IActorRef mediator, bool prunable, RpcMetrics metrics) =>
        Akka.Actor.Props.Create(() => new TopicActor(topic, mediator, prunable, metrics));

    protected override void PreStart() => _mediator.Tell(new Subscribe(TopicNames.MediatorTopic(_topic), Self));

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

    private sealed record SubscriberGone(IActorRef Session) : INoSerializationVerificationNeeded, IDeadLetterSuppression;
}
