using Akka.Actor;
using Akka.Event;
using ActorRpc.Methods.Definition;

namespace ActorRpc.Actors.Routing;

/// <summary>
/// Parent of the method routers: creates one per catalog entry at start-up (a local router where
/// this node runs the method, a <see cref="RemoteMethodActor"/> where the method lives on nodes of
/// another role), publishes them in the <see cref="MethodDirectory"/>, and keeps them alive.
/// </summary>
internal sealed class MethodHostActor : ReceiveActor
{
    public MethodHostActor(RpcMethodCatalog catalog, MethodDirectory directory, RouterSettings settings)
    {
        var roles = Akka.Cluster.Cluster.Get(Context.System).SelfRoles;
        var routers = new Dictionary<string, IActorRef>(StringComparer.Ordinal);
        foreach (var method in catalog.Methods)
        {
            // Same name either way: remote nodes address a method's router by this path.
            var props = method.Role is null || roles.Contains(method.Role)
                ? MethodRouterActor.Props(method, settings)
                : RemoteMethodActor.Props(method, settings);
            routers[method.Name] = Context.ActorOf(props, ActorNames.ForMethod(method.Name));
        }

        directory.Publish(routers);
    }

    public static Props Props(RpcMethodCatalog catalog, MethodDirectory directory, RouterSettings settings) =>
        Akka.Actor.Props.Create(() => new MethodHostActor(catalog, directory, settings));

    /// <summary>
    /// A router that throws is resumed, not restarted: its only state is the bookkeeping of calls
    /// still running in handler actors, and a restart would drop those calls without an answer.
    /// Handler code never runs on the router's thread, so a router fault is our bug; it is logged.
    /// </summary>
    protected override SupervisorStrategy SupervisorStrategy() => new OneForOneStrategy(
        static exception => exception switch
        {
            ActorInitializationException => Directive.Stop,
            _ => Directive.Resume,
        },
        loggingEnabled: true);
}
