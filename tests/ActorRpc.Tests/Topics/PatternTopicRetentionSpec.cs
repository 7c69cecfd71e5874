using Akka.Actor;
using Akka.TestKit;
using ActorRpc.Actors.Sessions;
using ActorRpc.Actors.Topics;
using ActorRpc.Methods.Topics;
using ActorRpc.Tests.Infrastructure;
using MediatorSubscribe = Akka.Cluster.Tools.PublishSubscribe.Subscribe;

namespace ActorRpc.Tests.Topics;

/// <summary>
/// The lives of pattern topics on one node (issue #12): one that holds nothing stops at once; one that
/// retained state stops once that state has had no subscriber for RetainedPatternTopicTtl; declared
/// topics keep theirs. The mediator is a probe, so each topic actor is seen as it registers.
/// </summary>
public sealed class PatternTopicRetentionSpec : Akka.TestKit.Xunit2.TestKit
{
    private static readonly TimeSpan Ttl = TimeSpan.FromMilliseconds(300);
    private static readonly TopicCatalog Catalog = new(
        new Dictionary<string, RpcTopicOptions>(StringComparer.Ordinal) { ["news"] = new() },
        [new("orders.*", new RpcTopicOptions())]);

    private readonly TestProbe _mediator;
    private readonly TestProbe _session;
    private readonly PatternTopicBudget _budget = new(limit: 100);
    private readonly IActorRef _topics;

    public PatternTopicRetentionSpec()
    {
        _mediator = CreateTestProbe();
        _session = CreateTestProbe();
        _topics = Sys.ActorOf(TopicsActor.Props(Catalog, _mediator, TestMetrics.Create(), _budget, Ttl));
    }

    [Fact]
    public async Task PatternTopic_FirstSubscribeThenPublish_MediatorGetsTheSubscriptionFirst()
    {
        // A publish right after a client's first subscribe to a pattern topic was lost when the new
        // topic actor subscribed from its PreStart, which could run after the publish had gone out.
        await _mediator.ExpectMsgAsync<MediatorSubscribe>(); // "news", declared, registers at start
        for (var i = 0; i < 20; i++)
        {
            _topics.Tell(new TopicProtocol.Subscribe($"orders.first-{i}", _session));
            _topics.Tell(new TopicProtocol.Publish($"orders.first-{i}", "{}"u8.ToArray(), Retain: false));

            var subscribed = await _mediator.ExpectMsgAsync<MediatorSubscribe>();
            Assert.EndsWith($"orders.first-{i}", subscribed.Topic, StringComparison.Ordinal);
            Assert.Equal(subscribed.Ref, _mediator.LastSender); // the ack goes to the topic actor
            await _mediator.ExpectMsgAsync<Akka.Cluster.Tools.PublishSubscribe.Publish>();
        }
    }

    [Fact]
    public async Task PatternTopic_NoStateNoSubscriberLeft_StopsAtOnce()
    {
        var topic = await SubscribeAsync("orders.1");

        _topics.Tell(new TopicProtocol.Unsubscribe("orders.1", _session));

        await ExpectTerminatedAsync(topic);
        await AwaitAssertAsync(() => Assert.Equal(0, _budget.Count));
    }

    [Fact]
    public async Task PatternTopic_RetainedStateNoSubscriber_StopsAfterTtl()
    {
        var topic = await SubscribeAsync("orders.2");
        await RetainAsync(topic, "orders.2");

        _topics.Tell(new TopicProtocol.Unsubscribe("orders.2", _session));

        // Issue #12: retained state kept an emptied pattern topic (actor and registration) for the node's life.
        await ExpectTerminatedAsync(topic, TestTimeouts.Long);
        await AwaitAssertAsync(() => Assert.Equal(0, _budget.Count));
    }

    [Fact]
    public async Task PatternTopic_SubscriberBackWithinTtl_GetsTheStateAndTopicStays()
    {
        var topic = await SubscribeAsync("orders.4");
        await RetainAsync(topic, "orders.4");
        _topics.Tell(new TopicProtocol.Unsubscribe("orders.4", _session));

        _topics.Tell(new TopicProtocol.Subscribe("orders.4", _session));

        await _session.ExpectMsgAsync<SessionProtocol.Deliver>(); // the retained state, from the same actor
        await ExpectNoMsgAsync(Ttl * 3); // no Terminated: a subscriber holds it
        topic.Tell(new TopicProtocol.TopicNotification("orders.4", "{}"u8.ToArray(), Retain: false));
        await _session.ExpectMsgAsync<SessionProtocol.Deliver>();
    }

    [Fact]
    public async Task DeclaredTopic_RetainedStateNoSubscriber_KeepsItForTheNodesLife()
    {
        var news = (await _mediator.ExpectMsgAsync<MediatorSubscribe>()).Ref; // registered at start
        Watch(news);
        news.Tell(new TopicProtocol.TopicNotification("news", "{}"u8.ToArray(), Retain: true));
        _topics.Tell(new TopicProtocol.Subscribe("news", _session));
        await _session.ExpectMsgAsync<SessionProtocol.Deliver>();
        _topics.Tell(new TopicProtocol.Unsubscribe("news", _session));

        await ExpectNoMsgAsync(Ttl * 3);
        _topics.Tell(new TopicProtocol.Subscribe("news", _session));
        await _session.ExpectMsgAsync<SessionProtocol.Deliver>();
    }

    // Subscribes the session probe; returns the topic actor (seen registering with the mediator), watched.
    private async Task<IActorRef> SubscribeAsync(string topic)
    {
        await _mediator.ExpectMsgAsync<MediatorSubscribe>(); // "news", declared, registers at start
        _topics.Tell(new TopicProtocol.Subscribe(topic, _session));
        var registered = await _mediator.ExpectMsgAsync<MediatorSubscribe>();
        Assert.EndsWith(topic, registered.Topic, StringComparison.Ordinal);
        Watch(registered.Ref);
        await AwaitAssertAsync(() => Assert.Equal(1, _budget.Count));
        return registered.Ref;
    }

    private async Task RetainAsync(IActorRef topic, string name)
    {
        topic.Tell(new TopicProtocol.TopicNotification(name, "{}"u8.ToArray(), Retain: true));
        await _session.ExpectMsgAsync<SessionProtocol.Deliver>();
    }
}
