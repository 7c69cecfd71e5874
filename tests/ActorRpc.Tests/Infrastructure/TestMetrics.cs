using System.Diagnostics.Metrics;
using ActorRpc.Actors.Diagnostics;
using ActorRpc.Methods.Topics;
using Microsoft.Extensions.DependencyInjection;

namespace ActorRpc.Tests.Infrastructure;

/// <summary>Metrics for actor specs that build their dependencies by hand; nothing listens to them.</summary>
public static class TestMetrics
{
    private static readonly IMeterFactory MeterFactory = new ServiceCollection().AddMetrics().BuildServiceProvider().GetRequiredService<IMeterFactory>();

    internal static RpcMetrics Create(params string[] methods) => new(MeterFactory, methods, TopicCatalog.Empty);
}
