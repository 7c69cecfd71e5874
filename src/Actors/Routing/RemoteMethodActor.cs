using Akka.Actor;
using Akka.Cluster.Routing;
using Akka.Routing;
using ActorRpc.Actors.Protocol;
using ActorRpc.Methods.Definition;

namespace ActorRpc.Actors.Routing;

/// <summary>
/// Stands in, on a node without the role, for a method hosted on nodes of a cluster role: a
/// cluster-aware group router over those nodes' method routers carries each call there, and the
/// reply goes straight back to the caller's session. With no node of the role up, the method is
/// not found (-32601), answered at once rather than left to dead letters.
/// </summary>
internal sealed class RemoteMethodActor : ReceiveActor
{
    private readonly Akka.Cluster.Cluster _cluster = Akka.Cluster.Cluster.Get(Context.System);

    public RemoteMethodActor(RpcMethodDescriptor method, RouterSettings settings)
    {
        var role = method.Role!;
        var routerPath = ActorNames.RouterPath(method.Name);
        var nodes = Context.ActorOf(
            new ClusterRouterGroup(
                new RoundRobinGroup([routerPath]),
                new ClusterRouterGroupSettings(int.MaxValue, [routerPath], allowLocalRoutees: false, useRole: role)).Props(),
            "nodes");

        Receive<RouterProtocol.Invoke>(invoke =>
        {
            // Unreachable members are still Up until downed, but the router already routes around them.
            var state = _cluster.State;
            if (state.Members.Any(m => m.Status == Akka.Cluster.MemberStatus.Up && m.HasRole(role) && !state.Unreachable.Contains(m)))
            {
                nodes.Tell(RouterProtocol.RemoteInvoke.From(invoke));
                return;
            }

            var notFound = RpcError.MethodNotFound(method.Name);
            settings.Metrics.RequestHandled(settings.Metrics.MethodLabel(method.Name), notFound.Code, invoke.Call.Started);
            var frame = invoke.Call.IsNotification
                ? null
                : JsonRpcResponseWriter.Error(invoke.Call.Id, notFound, settings.SerializerOptions);
            invoke.ReplyTo.Tell(new RouterProtocol.InvocationCompleted(invoke.Call.Sequence, frame));
        });

        // Rare (timeouts, client cancels, disconnects with calls running), so every node of the role hears it.
        Receive<RouterProtocol.CancelInvocation>(cancel => nodes.Tell(new Broadcast(cancel)));
    }

    public static Props Props(RpcMethodDescriptor method, RouterSettings settings) =>
        Akka.Actor.Props.Create(() => new RemoteMethodActor(method, settings));
}
