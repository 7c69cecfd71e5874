using System.Text.Json;
using StreamJsonRpc;

namespace ActorRpc.Bench.StreamJsonRpcServer;

/// <summary>The methods of one connection: the same names and shapes as ActorRpc's demo methods.</summary>
// Instance methods throughout: StreamJsonRpc dispatches to the target object's public instance methods.
#pragma warning disable CA1822
internal sealed class BenchTarget(JsonRpc rpc, SubscriberHub hub)
{
    public string Ping() => "pong";

    [JsonRpcMethod("echo", UseSingleObjectParameterDeserialization = true)]
    public JsonElement Echo(JsonElement parameters) => parameters;

    /// <summary>Only the topic the load tool uses is accepted; any name joins the one list.</summary>
    public bool Subscribe(string topic)
    {
        hub.Add(rpc);
        return topic.Length > 0;
    }

    /// <summary>Sends <paramref name="data"/> as the notification <c>{"method":topic,"params":data}</c> to every subscriber.</summary>
    public Task<bool> Publish(string topic, JsonElement data) => hub.BroadcastAsync(topic, data);
}
