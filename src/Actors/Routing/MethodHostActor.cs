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
        var routes = new Dictionary<string, MethodRoute>(StringComparer.Ordinal);
        foreach (var method in catalog.Methods)
        {
            // Same name either way: remote nodes address a method's router by this path.
            var name = ActorNames.ForMethod(method.Name);
            if (method.Role is not null && !roles.Contains(method.Role))
            {
                routes[method.Name] = new MethodRoute(Context.ActorOf(RemoteMethodActor.Props(method, settings), name));
                continue;
            }

            // Logged under the router's path, whichever of the two starts a call.
            var outcomes = new CallOutcomes(Logging.GetLogger(Context.System, (Self.Path / name).ToString()), settings);
            var router = Context.ActorOf(MethodRouterActor.Props(method, settings, outcomes), name);
            routes[method.Name] = new MethodRoute(router, method.Handler is TaskMethodHandler task ? new LocalTaskMethod(task, outcomes) : null);
        }

        directory.Publish(routes);
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
