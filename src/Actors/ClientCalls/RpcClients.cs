using System.Text.Json;
using Akka.Actor;
using Akka.Cluster;
using ActorRpc.Actors.Routing;
using ActorRpc.Actors.Sessions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace ActorRpc.Actors.ClientCalls;

/// <summary>
/// The node's <see cref="IRpcClients"/>: reads the owner node from a session id (<see cref="SessionIds"/>),
/// finds it among the cluster's Up members, and sends each call to the session actor there
/// (<c>/user/sessions/&lt;id&gt;</c>) through a <see cref="ClientCallActor"/>. The actor system and
/// options are resolved at the first call, since handlers and services may hold this before the
/// actor system runs.
/// </summary>
internal sealed class RpcClients(IServiceProvider services) : IRpcClients
{
    /// <summary>How long a node may take to say whether a session exists before its calls count as gone.</summary>
    private static readonly TimeSpan ResolveTimeout = TimeSpan.FromSeconds(10);

    private ActorSystem? _system;
    private JsonSerializerOptions? _serializerOptions;

    /// <summary>ActorRpc:Methods' serializer options: arguments are written and results read with them.</summary>
    public JsonSerializerOptions SerializerOptions =>
        _serializerOptions ??= services.GetRequiredService<IOptions<ActorRpcOptions>>().Value.Methods.SerializerOptions;

    private ActorSystem System => _system ??= services.GetRequiredService<ActorSystem>();

    /// <summary>
    /// How long a found session may take to answer: its ClientCallTimeout (this node's setting, which
    /// a cluster shares), plus ResolveTimeout for the way there and back. The session answers at its
    /// own timeout; this ends only calls whose answer was lost on the way.
    /// </summary>
    private TimeSpan AnswerTimeout
    {
        get
        {
            var timeout = services.GetRequiredService<IOptions<ActorRpcOptions>>().Value.Limits.ClientCallTimeout;
            return timeout == Timeout.InfiniteTimeSpan ? timeout : timeout + ResolveTimeout;
        }
    }

    public IRpcClient Get(string sessionId)
    {
        ArgumentNullException.ThrowIfNull(sessionId);
        return new SessionClient(sessionId, this);
    }

    /// <summary>Sends <paramref name="call"/> to the session <paramref name="sessionId"/>; its one answer, Gone at once when there is no such session.</summary>
    public async Task<ClientCallProtocol.ClientCallAnswer> SendAsync(string sessionId, ClientCallProtocol.CallClient call, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (!SessionIds.TryParseNode(sessionId, out var uid))
        {
            return ClientCallProtocol.ClientCallAnswer.Because(ClientCallOutcome.Gone, $"There is no session {sessionId}: it is not a session id of this cluster.");
        }

        var system = System;
        if (SessionOn(system, uid, sessionId) is not { } session)
        {
            return ClientCallProtocol.ClientCallAnswer.Because(
                ClientCallOutcome.Gone, $"There is no session {sessionId}: the node that held it is not an Up member of the cluster.");
        }

        var answer = new TaskCompletionSource<ClientCallProtocol.ClientCallAnswer>(TaskCreationOptions.RunContinuationsAsynchronously);
        var caller = system.ActorOf(ClientCallActor.Props(session, sessionId, call, answer, ResolveTimeout, AnswerTimeout));
        using var registration = cancellationToken.Register(() =>
        {
            if (answer.TrySetCanceled(cancellationToken))
            {
                caller.Tell(ClientCallActor.Abandon.Instance);
            }
        });
        return await answer.Task.ConfigureAwait(false);
    }

    /// <summary>The session's actor on the node of <paramref name="uid"/>: this node, or an Up member; null when no such node is up.</summary>
    private static ActorSelection? SessionOn(ActorSystem system, int uid, string sessionId)
    {
        var cluster = Akka.Cluster.Cluster.Get(system);
        if (cluster.SelfUniqueAddress.Uid == uid)
        {
            return system.ActorSelection($"/user/{ActorNames.Sessions}/{sessionId}");
        }

        foreach (var member in cluster.State.Members)
        {
            if (member.UniqueAddress.Uid == uid && member.Status == MemberStatus.Up)
            {
                return system.ActorSelection(new RootActorPath(member.Address) / "user" / ActorNames.Sessions / sessionId);
            }
        }

        return null;
    }
}
