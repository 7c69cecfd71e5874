using System.Text;
using ActorRpc.Actors.Sessions;
using Akka.Actor;
using BenchmarkDotNet.Attributes;

namespace ActorRpc.Bench.Micro;

/// <summary>
/// One request end to end in process: an <see cref="SessionProtocol.InboundMessage"/> into a
/// session actor, parse, dispatch to the method's router, the handler on the thread pool, the
/// response frame back through the session to its transport. The bytes per <see cref="Ping"/> are
/// the number bench/micro-results.md tracks. The baseline is one message to an actor that writes a
/// ready frame to the same transport: the floor of any actor round trip measured this way.
/// </summary>
/// <remarks>
/// The payload array is reused (the session never changes it); the InboundMessage is new per call,
/// as the Gateway makes one per message. The socket, its read buffers and its send loop are not here.
/// </remarks>
[MemoryDiagnoser]
public class DispatchBenchmarks
{
    private readonly SignallingTransport _transport = new();
    private InProcessNode _node = null!;
    private IActorRef _session = null!;
    private IActorRef _echo = null!;
    private IActorRef _userSession = null!;

    [GlobalSetup]
    public void Setup()
    {
        _node = new InProcessNode();
        _session = _node.StartSession(_transport);
        _userSession = _node.StartSession(
            _transport, 1, new System.Security.Claims.ClaimsPrincipal(new System.Security.Claims.ClaimsIdentity([new("name", "alice")], "bench")));
        _echo = _node.System.ActorOf(Props.Create(() => new ReplyingActor(_transport)));

        // Fail here rather than measure something else: the ping must come back as "pong".
        Ping();
        var reply = Encoding.UTF8.GetString(_transport.LastReply!);
        if (reply != """{"jsonrpc":"2.0","id":1,"result":"pong"}""")
        {
            throw new InvalidOperationException("Unexpected reply to ping: " + reply);
        }

        // The guarded ping must run (not be refused) for the authenticated session.
        Ping_Guarded_AuthenticatedUser();
        reply = Encoding.UTF8.GetString(_transport.LastReply!);
        if (reply != """{"jsonrpc":"2.0","id":1,"result":"pong"}""")
        {
            throw new InvalidOperationException("Unexpected reply to the guarded ping: " + reply);
        }
    }

    [GlobalCleanup]
    public void Cleanup() => _node.Dispose();

    [Benchmark(Baseline = true)]
    public void ActorRoundTrip()
    {
        _transport.ExpectReply();
        _echo.Tell(ReplyingActor.Go.Instance);
        _transport.Wait();
    }

    [Benchmark]
    public void Ping() => Call(Payloads.Ping);

    [Benchmark]
    public void Add_Positional() => Call(Payloads.AddPositional);

    /// <summary>Issue 13: <c>ping</c> from a connection with a user (its principal rides on the call's context).</summary>
    [Benchmark]
    public void Ping_AuthenticatedUser() => Call(Payloads.Ping, _userSession);

    /// <summary>Issue 13: <c>ping</c> behind <c>[Authorize]</c>, the caller a user: the guard's whole cost per call.</summary>
    [Benchmark]
    public void Ping_Guarded_AuthenticatedUser() => Call(Payloads.PingGuarded, _userSession);

    internal void Call(byte[] payload, IActorRef? session = null)
    {
        _transport.ExpectReply();
        (session ?? _session).Tell(new SessionProtocol.InboundMessage(payload));
        _transport.Wait();
    }

    /// <summary>Writes one ready frame per message: the baseline's whole server side.</summary>
    private sealed class ReplyingActor(SignallingTransport transport) : UntypedActor
    {
        private static readonly byte[] Frame = """{"jsonrpc":"2.0","id":1,"result":"pong"}"""u8.ToArray();

        protected override void OnReceive(object message) => transport.Reply(Frame, 1);

        public sealed class Go
        {
            public static Go Instance { get; } = new();
        }
    }
}
