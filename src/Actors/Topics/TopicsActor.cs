using Akka.Actor;
using Akka.Cluster.Tools.PublishSubscribe;
using Akka.Event;
using ActorRpc.Actors.Diagnostics;
using ActorRpc.Methods.Topics;

namespace ActorRpc.Actors.Topics;

/// <summary>
/// The node's topics: one child <see cref="TopicActor"/> per active topic. Declared topics start
/// with the node and live with it, so every node keeps their retained state; pattern topics start
/// with their first subscriber and are pruned when their last one leaves (or, if they retain state,
/// once that state expires: ActorRpc:Limits:RetainedPatternTopicTtl), so clients cannot grow the
/// node by visiting ever new topics. How many pattern topics live at once is bounded too
/// (<see cref="PatternTopicBudget"/>, ActorRpc:Limits:MaxPatternTopics). Publishing goes through the cluster's mediator, which
/// reaches each node's topic actor once.
/// </summary>
/// <remarks>
/// Pruning is a handshake, so no subscription is lost to a dying child: an emptied pattern topic
/// reports <see cref="TopicActor.Idle"/>; from then on this actor buffers that topic's subscribe and
/// unsubscribe messages and asks the child to prune. The child stops if it is still empty (the
/// buffer then goes to a fresh child) or declines (the buffer goes to it).
/// </remarks>
internal sealed class TopicsActor : ReceiveActor
{
    private readonly IActorRef _mediator;
    private readonly RpcMetrics _metrics;
    private readonly PatternTopicBudget _patternTopics;
    private readonly TimeSpan _retainedPatternTopicTtl;
    private readonly Dictionary<string, List<(object Message, IActorRef Sender)>> _pruning = new(StringComparer.Ordinal);

    public TopicsActor(TopicCatalog catalog, IActorRef mediator, RpcMetrics metrics, PatternTopicBudget patternTopics, TimeSpan retainedPatternTopicTtl)
    {
        _mediator = mediator;
        _metrics = metrics;
        _patternTopics = patternTopics;
        _retainedPatternTopicTtl = retainedPatternTopicTtl;
        var log = Context.GetLogger();
        foreach (var topic in catalog.Topics)
        {
            StartTopic(topic, prunable: false, retainedTtl: null);
        }

        Receive<TopicProtocol.Publish>(publish => PublishToCluster(publish.Topic, publish.Frame, publish.Retain));
        Receive<TopicProtocol.Subscribe>(subscribe =>
        {
            if (!Buffered(subscribe.Topic, subscribe))
            {
                TopicFor(subscribe.Topic).Forward(subscribe);
            }
        });
        Receive<TopicProtocol.Unsubscribe>(unsubscribe =>
        {
            if (!Buffered(unsubscribe.Topic, unsubscribe) && Context.Child(TopicNames.ActorName(unsubscribe.Topic)) is { } child && !child.IsNobody())
            {
                child.Forward(unsubscribe);
            }
        });
        Receive<TopicActor.Idle>(idle =>
        {
            if (_pruning.TryAdd(idle.Topic, []))
            {
                Context.WatchWith(Sender, new TopicStopped(idle.Topic));
                Sender.Tell(TopicActor.Prune.Instance);
            }
        });
        Receive<TopicActor.PruneDeclined>(declined =>
        {
            Context.Unwatch(Sender);
            Flush(declined.Topic, Sender);
        });
        Receive<TopicStopped>(stopped =>
        {
            _patternTopics.Release(stopped.Topic);
            Flush(stopped.Topic, target: null);
        });
        Receive<TopicProtocol.GetRegistrations>(_ => Task
            .WhenAll(Context.GetChildren().Select(child => child
                .Ask<TopicProtocol.TopicRegistrations>(TopicProtocol.GetRegistrations.Instance, TimeSpan.FromSeconds(10))
                .ContinueWith(
                    // A child pruned meanwhile holds no one. (A continuation: the ask is complete, nothing waits.)
#pragma warning disable RS0030
                    ask => ask.IsCompletedSuccessfully ? ask.Result : null,
#pragma warning restore RS0030
                    TaskScheduler.Default)))
            .PipeTo(Sender, success: counts => new TopicProtocol.Registrations(
                counts.OfType<TopicProtocol.TopicRegistrations>().ToDictionary(c => c.Topic, c => c.Count))));
    }

    /// <param name="catalog">The declared topics and patterns.</param>
    /// <param name="mediator">The cluster's distributed pub/sub mediator.</param>
    /// <param name="metrics">Where subscriptions are counted.</param>
    /// <param name="patternTopics">Tracks the pattern topics this actor starts and stops (ActorRpc:Limits:MaxPatternTopics).</param>
    /// <param name="retainedPatternTopicTtl">ActorRpc:Limits:RetainedPatternTopicTtl.</param>
    public static Props Props(
        TopicCatalog catalog, IActorRef mediator, RpcMetrics metrics, PatternTopicBudget patternTopics, TimeSpan retainedPatternTopicTtl) =>
        Akka.Actor.Props.Create(() => new TopicsActor(catalog, mediator, metrics, patternTopics, retainedPatternTopicTtl));

    /// <summary>
    /// A topic actor that throws is resumed: its subscriber set and state are updated one message at
    /// a time and stay consistent, while a restart would silently drop every subscriber of the topic.
    /// </summary>
    protected override SupervisorStrategy SupervisorStrategy() => new OneForOneStrategy(static _ => Directive.Resume, loggingEnabled: true);

    private void PublishToCluster(string topic, byte[] frame, bool retain) =>
        _mediator.Tell(new Publish(TopicNames.MediatorTopic(topic), new TopicProtocol.TopicNotification(topic, frame, retain)));

    private IActorRef TopicFor(string topic)
    {
        var name = TopicNames.ActorName(topic);
        var child = Context.Child(name);
        if (!child.IsNobody())
        {
            return child;
        }

        // Admitted by the subscribing session; counted again in case a prune released it meanwhile.
        _patternTopics.Add(topic);
        return StartTopic(topic, prunable: true, _retainedPatternTopicTtl);
    }

    /// <summary>
    /// Starts a topic's actor and subscribes it to the mediator from here, not from its PreStart: a
    /// publish this actor sends later then reaches the mediator after the subscription (one sender,
    /// in order), so a notify published right after a client's first subscribe to a pattern topic
    /// is not lost. The mediator's ack goes to the topic actor.
    /// </summary>
    private IActorRef StartTopic(string topic, bool prunable, TimeSpan? retainedTtl)
    {
        var child = Context.ActorOf(TopicActor.Props(topic, prunable, _metrics, retainedTtl), TopicNames.ActorName(topic));
        _mediator.Tell(new Subscribe(TopicNames.MediatorTopic(topic), child), child);
        return child;
    }

    private bool Buffered(string topic, object message)
    {
        if (!_pruning.TryGetValue(topic, out var buffer))
        {
            return false;
        }

        buffer.Add((message, Sender));
        return true;
    }

    /// <summary>Ends a prune: the buffered messages go to the surviving child, or to a new one.</summary>
    private void Flush(string topic, IActorRef? target)
    {
        if (!_pruning.Remove(topic, out var buffer))
        {
            return;
        }

        foreach (var (message, sender) in buffer)
        {
            switch (message)
            {
                case TopicProtocol.Subscribe:
                    target ??= TopicFor(topic);
                    target.Tell(message, sender);
                    break;
                case TopicProtocol.Unsubscribe when target is not null:
                    target.Tell(message, sender);
                    break;
            }
        }
    }

    private sealed record TopicStopped(string Topic) : INoSerializationVerificationNeeded, IDeadLetterSuppression;
}
