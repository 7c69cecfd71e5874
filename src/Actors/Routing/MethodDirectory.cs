using System.Collections.Frozen;
using Akka.Actor;

namespace ActorRpc.Actors.Routing;

/// <summary>
/// The node's method name → route map, published once by <see cref="MethodHostActor"/> when
/// every router exists. Sessions look routes up here without a message round trip.
/// </summary>
internal sealed class MethodDirectory
{
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private volatile FrozenDictionary<string, MethodRoute> _routes = FrozenDictionary<string, MethodRoute>.Empty;

    /// <summary>Completes when the routers are up and calls can be served.</summary>
    public Task WhenReady => _ready.Task;

    /// <summary>Whether the routers are up.</summary>
    public bool IsReady => _ready.Task.IsCompleted;

    /// <summary>Finds how calls of <paramref name="method"/> are started.</summary>
    internal bool TryGetRoute(string method, out MethodRoute route) => _routes.TryGetValue(method, out route!);

    internal void Publish(IReadOnlyDictionary<string, MethodRoute> routes)
    {
        _routes = routes.ToFrozenDictionary(StringComparer.Ordinal);
        _ready.TrySetResult();
    }

    /// <summary>Publishes plain routers, every call through its router's mailbox (tests and benchmarks of the router path).</summary>
    internal void Publish(IReadOnlyDictionary<string, IActorRef> routers) =>
        Publish(routers.ToDictionary(r => r.Key, r => new MethodRoute(r.Value), StringComparer.Ordinal));
}
