using Akka.Actor;
using Akka.Cluster.Tools.PublishSubscribe;
using ActorRpc.Methods.Topics;

namespace ActorRpc.Actors.Topics;

/// <summary>
/// The node's topics: one child <see cref="TopicActor"/> per active topic. Declared topics start
/// with the node, so every node keeps their retained state; pattern topics start with their first
/// subscriber. Publishing goes through the cluster's mediator, which reaches each node's topic
/// actor once.
/// </summary>
internal sealed class TopicsActor : ReceiveActor
{
    private readonly IActorRef _mediator;

    public TopicsActor(TopicCatalog catalog, IActorRef mediator)
    {
        _mediator = mediator;
        foreach (var topic in catalog.Topics)
        {
            TopicFor(topic);
        }

        Receive<TopicProtocol.Publish>(publish => _mediator.Tell(new Publish(
            TopicNames.MediatorTopic(publish.Topic),
            new TopicProtocol.TopicNotification(publish.Topic, publish.Frame, publish.Retain))));
        Receive<TopicProtocol.Subscribe>(subscribe => TopicFor(subscribe.Topic).Forward(subscribe));
        Receive<TopicProtocol.Unsubscribe>(unsubscribe =>
        {
            var child = Context.Child(TopicNames.ActorName(unsubscribe.Topic));
            if (!child.IsNobody())
            {
                child.Forward(unsubscribe);
            }
        });
        Receive<TopicProtocol.GetRegistrations>(_ => Task
            .WhenAll(Context.GetChildren().Select(child =>
                child.Ask<TopicProtocol.TopicRegistrations>(TopicProtocol.GetRegistrations.Instance, TimeSpan.FromSeconds(10))))
            .PipeTo(Sender, success: counts => new TopicProtocol.Registrations(counts.ToDictionary(c => c.Topic, c => c.Count))));
    }

    public static Props Props(TopicCatalog catalog, IActorRef mediator) =>
        Akka.Actor.Props.Create(() => new TopicsActor(catalog, mediator));

    /// <summary>
    /// A topic actor that throws is resumed: its subscriber set and state are updated one message at
    /// a time and stay consistent, while a restart would silently drop every subscriber of the topic.
    /// </summary>
    protected override SupervisorStrategy SupervisorStrategy() => new OneForOneStrategy(static _ => Directive.Resume, loggingEnabled: true);

    private IActorRef TopicFor(string topic)
    {
        var name = TopicNames.ActorName(topic);
        var child = Context.Child(name);
        return child.IsNobody() ? Context.ActorOf(TopicActor.Props(topic, _mediator), name) : child;
    }
}
