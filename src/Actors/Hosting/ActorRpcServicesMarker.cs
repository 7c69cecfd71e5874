using Microsoft.Extensions.DependencyInjection;

namespace ActorRpc.Actors;

/// <summary>
/// Registered once by <c>AddActorRpc()</c>: says the services are there, whether ActorRpc started
/// an actor system of its own, and which actor system took ActorRpc's actors, so that a second one
/// fails start-up with a clear message instead of serving half the calls.
/// </summary>
internal sealed class ActorRpcServicesMarker(IServiceCollection services, bool ownsActorSystem)
{
    private string? _actorSystem;

    /// <summary>The application's service collection, as it stood when the provider was built.</summary>
    public IServiceCollection Services { get; } = services;

    /// <summary>Whether <c>AddActorRpc()</c> added an actor system (the application had none when it was called).</summary>
    public bool OwnsActorSystem { get; } = ownsActorSystem;

    /// <summary>Called by <c>WithActorRpc()</c> as its actors start.</summary>
    /// <exception cref="InvalidOperationException">ActorRpc was added to a second actor system.</exception>
    public void ActorSystemStarted(string name)
    {
        if (Interlocked.CompareExchange(ref _actorSystem, name, null) is { } first)
        {
            throw new InvalidOperationException(
                $"ActorRpc was added to two actor systems ('{first}' and '{name}'). Call WithActorRpc() in one AddAkka(...) only; "
                + "and when the application has its own AddAkka(...), call it before AddActorRpc() so ActorRpc starts no system of its own.");
        }
    }
}

/// <summary>Something that must act when the node begins to shut down, whichever side starts it (the host, or the actor system's coordinated shutdown).</summary>
internal interface INodeShutdownParticipant
{
    /// <summary>Called once or more; implementations act on the first call only.</summary>
    void BeginShutdown(string reason);
}
