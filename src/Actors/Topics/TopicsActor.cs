using Akka.Actor;
using System.Text.Json;
using Akka.Cluster.Tools.PublishSubscribe;
using Akka.Event;
using ActorRpc.Actors.Protocol;
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

    public TopicsActor(TopicCatalog catalog, IActorRef mediator, JsonSerializerOptions serializerOptions)
    {
        _mediator = mediator;
        var log = Context.GetLogger();
        foreach (var topic in catalog.Topics)
        {
            TopicFor(topic);
        }

        Receive<TopicProtocol.Publish>(publish => PublishToCluster(publish.Topic, publish.Frame, publish.Retain));
        Receive<TopicProtocol.Notify>(notify =>
        {
            try
            {
                if (!catalog.IsAllowed(notify.Topic))
                {
                    throw new ArgumentException($"Topic '{notify.Topic}' is not declared.", nameof(notify));
                }

                var frame = JsonRpcResponseWriter.Notification(notify.Topic, notify.Data, serializerOptions);
                PublishToCluster(notify.Topic, frame, notify.Retain);
            }
            catch (Exception ex) when (ex is ArgumentException or JsonException or NotSupportedException)
            {
                log.Warning("Notify to topic [{0}] from [{1}] dropped: {2}", notify.Topic, Sender, ex.Message);
            }
        });
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

    public static Props Props(TopicCatalog catalog, IActorRef mediator, JsonSerializerOptions serializerOptions) =>
        Akka.Actor.Props.Create(() => new TopicsActor(catalog, mediator, serializerOptions));

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
        return child.IsNobody() ? Context.ActorOf(TopicActor.Props(topic, _mediator), name) : child;
    }
}
