using System.Text.Json;

namespace ActorRpc.Client;

/// <summary>What the registry knows of a subscription: where its notifications go, and how it ends.</summary>
internal interface ISubscriptionSink
{
    /// <summary>The topic it is subscribed to.</summary>
    string Topic { get; }

    /// <summary>Takes one notification's data (an independent copy); never blocks the read loop.</summary>
    void Deliver(JsonElement data);

    /// <summary>Ends the enumeration: normally (null), or with <paramref name="error"/> rethrown to the reader.</summary>
    void Complete(Exception? error);
}
