namespace ActorRpc.Actors.Topics;

/// <summary>The one place topic names become mediator topics and actor names.</summary>
internal static class TopicNames
{
    /// <summary>Our topics share the cluster's mediator with others; the prefix keeps them apart.</summary>
    public static string MediatorTopic(string topic) => "actor-rpc:" + topic;

    public static string ActorName(string topic) => Routing.ActorNames.Encode("topic-", topic);
}
