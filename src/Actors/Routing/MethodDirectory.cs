using System.Collections.Frozen;
using Akka.Actor;

namespace ActorRpc.Actors.Routing;

/// <summary>
/// The node's method name → router map, published once by <see cref="MethodHostActor"/> when
/// every router exists. Sessions look routers up here without a message round trip.
/// </summary>
public sealed class MethodDirectory
{
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private volatile FrozenDictionary<string, IActorRef> _routers = FrozenDictionary<string, IActorRef>.Empty;

    /// <summary>Completes when the routers are up and calls can be served.</summary>
    public Task WhenReady => _ready.Task;

    /// <summary>Whether the routers are up.</summary>
    public bool IsReady => _ready.Task.IsCompleted;

    /// <summary>Finds the router of <paramref name="method"/>.</summary>
    public bool TryGetRouter(string method, out IActorRef router) => _routers.TryGetValue(method, out router!);

    internal void Publish(IReadOnlyDictionary<string, IActorRef> routers)
    {
        _routers = routers.ToFrozenDictionary(StringComparer.Ordinal);
        _ready.TrySetResult();
    }
}
