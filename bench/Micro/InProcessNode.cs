using System.Diagnostics.Metrics;
using System.Reflection;
using System.Text.Json;
using ActorRpc.Actors.Diagnostics;
using ActorRpc.Actors.Routing;
using ActorRpc.Actors.Sessions;
using ActorRpc.Actors.Topics;
using ActorRpc.Methods.Binding;
using ActorRpc.Methods.Definition;
using ActorRpc.DemoHost;
using ActorRpc.Methods.Topics;
using Akka.Actor;
using Akka.Configuration;
using Akka.Event;
using Microsoft.Extensions.DependencyInjection;

namespace ActorRpc.Bench.Micro;

/// <summary>
/// A real ActorSystem with the node's session and router actors, minus the Gateway and its
/// sockets: routers for <c>ping</c> and <c>add</c> (the demo methods), and sessions that write
/// to fake transports. Nothing listens to metrics or traces, as on a node without exporters.
/// </summary>
internal sealed class InProcessNode : IDisposable
{
    private readonly ActorRpc.Methods.Authorization.RpcAuthorizer _authorizer;
    private static readonly Config Quiet = ConfigurationFactory.ParseString("""
        akka.loglevel = WARNING
        akka.stdout-loglevel = WARNING
        akka.log-dead-letters = off
        """);

    private readonly ServiceProvider _services;

    public InProcessNode()
    {
        _services = new ServiceCollection().AddMetrics().AddLogging().AddAuthorizationCore().BuildServiceProvider();
        System = ActorSystem.Create("micro", Quiet);
        SerializerOptions = RpcMethodsOptions.CreateDefaultSerializerOptions();
        Metrics = new RpcMetrics(_services.GetRequiredService<IMeterFactory>(), ["ping", "add", "ping_guarded"], TopicCatalog.Empty);

        var settings = new RouterSettings(SerializerOptions, DetailedErrors: false, _services, TimeSpan.FromSeconds(30), Metrics);
        _authorizer = ActorRpc.Methods.Authorization.RpcAuthorizer.Create(_services);
        var directory = new MethodDirectory();
        directory.Publish(new Dictionary<string, MethodRoute>
        {
            ["ping"] = Route("ping", nameof(DemoMethods.Ping), settings),
            ["add"] = Route("add", nameof(DemoMethods.Add), settings),
            ["ping_guarded"] = Route("ping_guarded", nameof(DemoMethods.Ping), settings, GuardedByLogin),
        });
        Dependencies = new SessionDependencies(directory, new RpcLimitsOptions(), SerializerOptions, _services, TopicCatalog.Empty, ActorRefs.Nobody, Metrics,
            RpcCompatibility.None, PatternTopicBudget.CreateUnlimited(), NodeHandlers.CreateUnlimited(),
            _authorizer, NoSessionAuthenticator.Instance, TimeProvider.System);
    }

    public ActorSystem System { get; }

    public JsonSerializerOptions SerializerOptions { get; }

    public RpcMetrics Metrics { get; }

    public SessionDependencies Dependencies { get; }

    public IActorRef StartSession(ISessionTransport transport, int number = 0, System.Security.Claims.ClaimsPrincipal? user = null) => System.ActorOf(
        SessionActor.Props(
            new SessionInfo($"bench-{number}", "127.0.0.1:1", SessionInfo.WebSocketTransport, SingleExchange: false)
            {
                Identity = SessionIdentity.From(user, expiresUtc: DateTimeOffset.UtcNow.AddDays(1)),
            },
            transport,
            Dependencies));

    /// <summary>What <c>[Authorize]</c> asks: an authenticated user (ASP.NET Core's default policy).</summary>
    private static ActorRpc.Methods.Authorization.RpcGuard GuardedByLogin { get; } =
        new([new Microsoft.AspNetCore.Authorization.AuthorizeAttribute()], [], []);

    public void Dispose()
    {
        System.Terminate().Wait(TimeSpan.FromSeconds(10));
        _services.Dispose();
    }

    // As MethodHostActor builds it: the session starts the task itself, with the router's outcomes.
    private MethodRoute Route(string name, string clrName, RouterSettings settings, ActorRpc.Methods.Authorization.RpcGuard? guard = null)
    {
        var method = typeof(DemoMethods).GetMethod(clrName, BindingFlags.Public | BindingFlags.Static)!;
        TaskMethodHandler handler = new ReflectedMethodHandler(method, null, SerializerOptions);
        if (guard is not null)
        {
            handler = new ActorRpc.Methods.Authorization.GuardedTaskMethodHandler(handler, guard, _authorizer);
        }

        var outcomes = new CallOutcomes(Logging.GetLogger(System, name), settings);
        var router = System.ActorOf(MethodRouterActor.Props(new RpcMethodDescriptor(name, handler), settings, outcomes), name);
        return new MethodRoute(router, new LocalTaskMethod(handler, outcomes));
    }
}

/// <summary>
/// A transport that signals the benchmark thread when a reply (or the awaited number of
/// notifications) has been written. A <see cref="ManualResetEventSlim"/> is reset and reused, so
/// the harness itself allocates nothing per operation and the memory column is the server's alone.
/// </summary>
internal sealed class SignallingTransport : ISessionTransport
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    private readonly ManualResetEventSlim _signal = new(false);
    private int _notificationsToAwait;

    public byte[]? LastReply { get; private set; }

    /// <summary>Arms the signal for one reply.</summary>
    public void ExpectReply() => _signal.Reset();

    /// <summary>Arms the signal for <paramref name="count"/> notifications, counted over every session sharing this transport.</summary>
    public void ExpectNotifications(int count)
    {
        _signal.Reset();
        Volatile.Write(ref _notificationsToAwait, count);
    }

    public void Wait()
    {
        if (!_signal.Wait(Timeout))
        {
            throw new TimeoutException("The in-process node did not answer within 10 s.");
        }
    }

    public bool TryNotify(byte[] frame, out OutboundLimit refusedBy)
    {
        refusedBy = OutboundLimit.None;
        if (Interlocked.Decrement(ref _notificationsToAwait) == 0)
        {
            _signal.Set();
        }

        return true;
    }

    public void Reply(ResponseFrame frame, int requests, long messageBytes = 0)
    {
        LastReply = frame.ToArrayAndReturn();
        _signal.Set();
    }

    public void AddInFlight(int requests)
    {
    }

    public void AwaitAnswers(int change)
    {
    }

    public void Release(int requests, long messageBytes = 0)
    {
    }

    public void Close(SessionCloseReason reason)
    {
    }

    public void Complete()
    {
    }
}
