using ActorRpc.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace ActorRpc.Tests.Topics;

/// <summary>A node with the demo topics plus a pattern family, for pub/sub on one node.</summary>
public sealed class TopicsServerFixture : RpcServerFixture
{
    protected override void Configure(WebApplicationBuilder builder) =>
        builder.Services.AddActorRpc().AddTopic("a").AddTopic("b").AddTopicPattern("orders.*");
}
