using System.Text.Json;
using ActorRpc.Actors.Diagnostics;
using Akka.Actor;
using ActorRpc.Actors.Routing;
using ActorRpc.Methods.Topics;

namespace ActorRpc.Actors.Sessions;

/// <summary>What every session of the node shares: resolved once, passed to each session.</summary>
/// <param name="Directory">Where the method routers are.</param>
/// <param name="Limits">Batch and depth limits.</param>
/// <param name="SerializerOptions">Options for error data written by the session itself.</param>
/// <param name="Services">Handed to handlers through their context.</param>
/// <param name="Topics">The topics clients may subscribe to.</param>
/// <param name="TopicsActor">The node's topics actor, where subscriptions are registered.</param>
/// <param name="Metrics">Where sessions, requests and notifications are counted.</param>
/// <param name="Compatibility">Which clients' departures from JSON-RPC 2.0 are accepted (ActorRpc:Protocol:Compatibility).</param>
/// <param name="PatternTopics">The node's live pattern topics, admitted on subscribe (ActorRpc:Limits:MaxPatternTopics).</param>
/// <param name="NodeHandlers">The node's count of running handlers (ActorRpc:Limits:MaxNodeHandlers).</param>
/// <param name="Authorizer">Decides who may subscribe to guarded topics (and which ones <c>get_topics</c> lists).</param>
/// <param name="Authenticator">Validates the token of <c>authenticate</c>.</param>
/// <param name="Clock">What time it is, for the connection's user's token lifetime (a test's own clock in specs).</param>
/// <remarks>
/// Every member is required: a limit a host may leave out is a limit production forgets (issue #12
/// review). The node-wide counts are the node's DI singletons; specs and benchmarks that want none
/// pass a fresh unlimited one (<see cref="ActorRpc.Actors.Sessions.NodeHandlers.CreateUnlimited"/>,
/// <see cref="ActorRpc.Actors.Topics.PatternTopicBudget.CreateUnlimited"/>), never one shared by the process.
/// </remarks>
internal sealed record SessionDependencies(
    MethodDirectory Directory,
    RpcLimitsOptions Limits,
    JsonSerializerOptions SerializerOptions,
    IServiceProvider Services,
    TopicCatalog Topics,
    IActorRef TopicsActor,
    RpcMetrics Metrics,
    RpcCompatibility Compatibility,
    Topics.PatternTopicBudget PatternTopics,
    NodeHandlers NodeHandlers,
    ActorRpc.Methods.Authorization.RpcAuthorizer Authorizer,
    ISessionAuthenticator Authenticator,
    TimeProvider Clock);
