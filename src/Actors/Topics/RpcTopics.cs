using Akka.Actor;
using Akka.DependencyInjection;

namespace ActorRpc;

/// <summary>
/// The notify API as an actor-system extension, for actors that have no service provider at hand:
/// <c>RpcTopics.Get(Context.System).Publish("news", new { headline })</c>.
/// </summary>
public sealed class RpcTopics : IExtension
{
    internal RpcTopics(ITopicPublisher publisher) => Publisher = publisher;

    /// <summary>The node's publisher (the same instance services get injected).</summary>
    public ITopicPublisher Publisher { get; }

    /// <summary>The publisher of <paramref name="system"/>, which must run ActorRpc (its own system, or one given <c>WithActorRpc()</c>).</summary>
    public static ITopicPublisher Get(ActorSystem system) => system.WithExtension<RpcTopics, RpcTopicsProvider>().Publisher;
}

/// <summary>Creates <see cref="RpcTopics"/> from the node's services.</summary>
internal sealed class RpcTopicsProvider : ExtensionIdProvider<RpcTopics>
{
    /// <inheritdoc />
    public override RpcTopics CreateExtension(ExtendedActorSystem system) =>
        new((ITopicPublisher)DependencyResolver.For(system).Resolver.GetService(typeof(ITopicPublisher)));
}
