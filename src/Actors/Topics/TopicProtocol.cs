using Akka.Actor;
using Akka.Event;

namespace ActorRpc.Actors.Topics;

/// <summary>Messages of the node's topics actor and its per-topic children.</summary>
internal static class TopicProtocol
{
    /// <summary>
    /// Publish a ready notification frame to a topic on every node: what <see cref="ITopicPublisher"/>
    /// sends after serializing on the caller's thread.
    /// </summary>
    /// <param name="Topic">The topic.</param>
    /// <param name="Frame">The complete UTF-8 JSON-RPC notification, built once by the publisher.</param>
    /// <param name="Retain">Keep it as the topic's state for later subscribers.</param>
    public sealed record Publish(string Topic, byte[] Frame, bool Retain) : INoSerializationVerificationNeeded;

    /// <summary>Register <paramref name="Session"/> as a subscriber of <paramref name="Topic"/> on this node.</summary>
    public sealed record Subscribe(string Topic, IActorRef Session) : INoSerializationVerificationNeeded;

    /// <summary>Remove <paramref name="Session"/> from <paramref name="Topic"/>'s subscribers on this node.</summary>
    public sealed record Unsubscribe(string Topic, IActorRef Session) : INoSerializationVerificationNeeded;

    /// <summary>Ask for the number of session registrations on this node; answered with <see cref="Registrations"/>.</summary>
    public sealed class GetRegistrations : INoSerializationVerificationNeeded
    {
        private GetRegistrations()
        {
        }

        /// <summary>The single instance.</summary>
        public static GetRegistrations Instance { get; } = new();
    }

    /// <summary>How many sessions each active topic of this node holds.</summary>
    public sealed record Registrations(IReadOnlyDictionary<string, int> PerTopic) : INoSerializationVerificationNeeded
    {
        /// <summary>All registrations on the node.</summary>
        public int Total => PerTopic.Values.Sum();
    }

    /// <summary>A topic actor's count, gathered by the topics actor.</summary>
    internal sealed record TopicRegistrations(string Topic, int Count) : INoSerializationVerificationNeeded;

    /// <summary>What crosses the cluster: one per node per notify, whatever the number of subscribers there.</summary>
    /// <param name="Topic">The topic.</param>
    /// <param name="Frame">The notification frame, shared by every local subscriber.</param>
    /// <param name="Retain">Keep as the topic's state.</param>
    internal sealed record TopicNotification(string Topic, byte[] Frame, bool Retain) : IDeadLetterSuppression;
}
