using Akka.Actor;
using Akka.Hosting;
using ActorRpc.Actors.Protocol;
using ActorRpc.Methods.Errors;
using ActorRpc.Methods.Topics;
using Microsoft.Extensions.Options;

namespace ActorRpc.Actors.Topics;

/// <summary>The injectable notify API: builds the notification frame once and hands it to the node's topics actor.</summary>
internal sealed class TopicPublisher(IRequiredActor<TopicsRoot> topics, TopicCatalog catalog, IOptions<RpcMethodsOptions> options) : ITopicPublisher
{
    public void Publish(string topic, object data, bool retain = false)
    {
        ArgumentNullException.ThrowIfNull(data);
        var declared = catalog.Find(topic) ?? throw new ArgumentException($"Topic '{ClientText.Bound(topic)}' is not declared.", nameof(topic));
        var frame = JsonRpcResponseWriter.Notification(topic, data, options.Value.SerializerOptions);

        // A topic declared with RetainLatest keeps every notification, whatever its publisher asked.
        topics.ActorRef.Tell(new TopicProtocol.Publish(topic, frame, retain || declared.RetainLatest));
    }
}

