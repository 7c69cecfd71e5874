using ActorRpc.Actors.Diagnostics;
using ActorRpc.Methods.Topics;
using Microsoft.Extensions.DependencyInjection;

namespace ActorRpc.Tests.Diagnostics;

/// <summary>Label values: only what the server registered, whatever the client sends.</summary>
public sealed class RpcMetricsSpec
{
    private static readonly RpcMetrics Metrics = new(
        new ServiceCollection().AddMetrics().BuildServiceProvider().GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>(),
        ["ping", "subscribe"],
        new RpcTopicsBuilder().AddTopic("news").AddTopicPattern("orders.*").AddTopicPattern("orders.eu.*").Build());

    [Theory]
    [InlineData("ping", "ping")]
    [InlineData("subscribe", "subscribe")]
    [InlineData("Ping", "(unknown)")]
    [InlineData("zzz-client-chosen", "(unknown)")]
    [InlineData(null, "(unknown)")]
    public void MethodLabel_RegisteredOrFolded(string? method, string label) => Assert.Equal(label, Metrics.MethodLabel(method));

    [Theory]
    [InlineData("news", "news")]
    [InlineData("orders.42", "orders.*")]
    [InlineData("orders.eu.7", "orders.eu.*")]
    [InlineData("elsewhere", "(unknown)")]
    public void TopicLabel_NameOrMostSpecificPattern(string topic, string label) => Assert.Equal(label, Metrics.TopicLabel(topic));
}
