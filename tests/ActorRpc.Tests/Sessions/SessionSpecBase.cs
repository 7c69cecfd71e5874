using System.Text;
using Akka.Actor;
using Akka.TestKit;
using ActorRpc.Actors.Routing;
using ActorRpc.Actors.Sessions;
using ActorRpc.Actors.Topics;
using ActorRpc.Methods.Definition;
using ActorRpc.Methods.Topics;
using Microsoft.Extensions.DependencyInjection;

namespace ActorRpc.Tests.Sessions;

/// <summary>
/// What every session spec shares: a probe for the routers of "known" and "other", one for the
/// topics actor, a fake transport for the socket, and helpers that feed the session as the
/// WebSocket reader does.
/// </summary>
/// <remarks>
/// Still on Akka.TestKit.Xunit2 (its async API): Akka.Hosting.TestKit 1.5.74 is built on xunit v3
/// and cannot share this xunit 2 test project.
/// </remarks>
public abstract class SessionSpecBase : Akka.TestKit.Xunit2.TestKit
{
    private readonly MethodDirectory _directory = new();

    protected SessionSpecBase()
    {
        Router = CreateTestProbe();
        Topics = CreateTestProbe();
        _directory.Publish(new Dictionary<string, IActorRef> { ["known"] = Router.Ref, ["other"] = Router.Ref });
    }

    protected TestProbe Router { get; }

    /// <summary>The services handlers and guards see: ASP.NET Core authorization's, and nothing else.</summary>
    protected IServiceProvider Services { get; } = new ServiceCollection().AddLogging().AddAuthorizationCore().BuildServiceProvider();

    protected TestProbe Topics { get; }

    internal FakeTransport Transport { get; } = new();

    internal IActorRef StartSession(
        bool singleExchange,
        RpcLimitsOptions? limits = null,
        TopicCatalog? topics = null,
        Actors.Diagnostics.RpcMetrics? metrics = null,
        NodeHandlers? nodeHandlers = null,
        ISessionAuthenticator? authenticator = null,
        SessionIdentity? identity = null,
        TimeProvider? clock = null)
    {
        var dependencies = new SessionDependencies(
            _directory,
            limits ?? new RpcLimitsOptions(),
            RpcMethodsOptions.CreateDefaultSerializerOptions(),
            Services,
            topics ?? TopicCatalog.Empty,
            Topics.Ref,
            metrics ?? Infrastructure.TestMetrics.Create("known", "other"),
            RpcCompatibility.None,
            PatternTopicBudget.CreateUnlimited(),
            nodeHandlers ?? NodeHandlers.CreateUnlimited(),
            ActorRpc.Methods.Authorization.RpcAuthorizer.Create(Services),
            authenticator ?? NoSessionAuthenticator.Instance,
            clock ?? TimeProvider.System);
        var info = new SessionInfo("s1", "127.0.0.1:1", singleExchange ? SessionInfo.HttpTransport : SessionInfo.WebSocketTransport, singleExchange)
        {
            Identity = identity ?? SessionIdentity.Anonymous,
        };
        return Sys.ActorOf(SessionActor.Props(info, Transport, dependencies));
    }

    // As the receive loop does: each message handed over counts one in flight.
    protected void Send(IActorRef session, string message)
    {
        Transport.AddInFlight(1);
        session.Tell(new SessionProtocol.InboundMessage(Encoding.UTF8.GetBytes(message)));
    }

    /// <summary>The next <paramref name="count"/> calls the router probe receives.</summary>
    internal async Task<List<RouterProtocol.Invoke>> ReceiveInvokesAsync(int count)
    {
        var calls = new List<RouterProtocol.Invoke>(count);
        for (var i = 0; i < count; i++)
        {
            calls.Add(await Router.ExpectMsgAsync<RouterProtocol.Invoke>());
        }

        return calls;
    }

    // A local task method "held" whose calls wait for the test, published as MethodHostActor publishes local task methods.
    protected HeldMethod UseHeldLocalTask()
    {
        var options = RpcMethodsOptions.CreateDefaultSerializerOptions();
        var held = new HeldMethod();
        var handler = new ActorRpc.Methods.Binding.ReflectedMethodHandler(typeof(HeldMethod).GetMethod(nameof(HeldMethod.Held))!, held, options);
        var outcomes = new CallOutcomes(Sys.Log, options, detailedErrors: false, Infrastructure.TestMetrics.Create("held"));
        _directory.Publish(new Dictionary<string, MethodRoute> { ["held"] = new(Router.Ref, new LocalTaskMethod(handler, outcomes)) });
        return held;
    }
}
