using ActorRpc.Actors.Protocol;
using ActorRpc.Actors.Topics;
using Akka.Actor;
using BenchmarkDotNet.Attributes;

namespace ActorRpc.Bench.Micro;

/// <summary>
/// One topic notification: encoded once (<see cref="JsonRpcResponseWriter.Notification"/>), handed to
/// the node's topic actor, and delivered to <see cref="Subscribers"/> session actors, each writing it
/// to its (fake) transport. The baseline is the encoding alone, so the ratio is the cost of fan-out.
/// </summary>
[MemoryDiagnoser]
public class NotificationBenchmarks
{
    private static readonly NewsItem Data = new("ada", "Hello, subscribers.", 42);

    private readonly SignallingTransport _transport = new();
    private InProcessNode _node = null!;
    private IActorRef _topic = null!;

    [Params(1, 100, 1000)]
    public int Subscribers { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _node = new InProcessNode();

        // The mediator is the cluster's; here nothing comes from other nodes, so it is a sink.
        _topic = _node.System.ActorOf(TopicActor.Props("news", prunable: false, _node.Metrics, retainedTtl: null), "news");
        for (var i = 0; i < Subscribers; i++)
        {
            _topic.Tell(new TopicProtocol.Subscribe("news", _node.StartSession(_transport, i)));
        }

        var registered = _topic.Ask<TopicProtocol.TopicRegistrations>(TopicProtocol.GetRegistrations.Instance, TimeSpan.FromSeconds(10)).Result;
        if (registered.Count != Subscribers)
        {
            throw new InvalidOperationException($"{registered.Count} of {Subscribers} subscribers registered.");
        }

        EncodeAndFanOut();
    }

    [GlobalCleanup]
    public void Cleanup() => _node.Dispose();

    [Benchmark(Baseline = true)]
    public byte[] Encode() => JsonRpcResponseWriter.Notification("news", Data, _node.SerializerOptions);

    [Benchmark]
    public void EncodeAndFanOut()
    {
        var frame = JsonRpcResponseWriter.Notification("news", Data, _node.SerializerOptions);
        _transport.ExpectNotifications(Subscribers);
        _topic.Tell(new TopicProtocol.TopicNotification("news", frame, Retain: false));
        _transport.Wait();
    }

    public sealed record NewsItem(string From, string Text, int Sequence);
}
