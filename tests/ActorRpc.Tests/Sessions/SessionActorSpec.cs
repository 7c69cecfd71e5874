using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;
using Akka.Actor;
using Akka.TestKit;
using ActorRpc.Actors.Configuration;
using ActorRpc.Actors.Routing;
using ActorRpc.Actors.Sessions;
using ActorRpc.Methods.Definition;
using ActorRpc.Methods.Topics;
using Microsoft.Extensions.DependencyInjection;

namespace ActorRpc.Tests.Sessions;

/// <summary>The session's bookkeeping, with probes for routers and a fake transport for the socket.</summary>
public sealed class SessionActorSpec : Akka.TestKit.Xunit2.TestKit
{
    private readonly TestProbe _router;
    private readonly TestProbe _topics;
    private readonly MethodDirectory _directory = new();
    private readonly FakeTransport _transport = new();

    public SessionActorSpec()
    {
        _router = CreateTestProbe();
        _topics = CreateTestProbe();
        _directory.Publish(new Dictionary<string, IActorRef> { ["known"] = _router.Ref, ["other"] = _router.Ref });
    }

    [Fact]
    public void Request_KnownMethod_ForwardedToRouterAndAnswerWritten()
    {
        var session = StartSession(singleExchange: false);
        Send(session, """{"jsonrpc":"2.0","method":"known","params":[1,2],"id":"a"}""");

        var invoke = _router.ExpectMsg<RouterProtocol.Invoke>();
        Assert.Equal("known", invoke.Call.Method);
        Assert.Equal("\"a\"", Encoding.UTF8.GetString(invoke.Call.Id.Span));
        Assert.Equal("[1,2]", Encoding.UTF8.GetString(invoke.Call.Params.Span));
        Assert.Equal(session, invoke.ReplyTo);

        invoke.ReplyTo.Tell(new RouterProtocol.InvocationCompleted(invoke.Call.Sequence, "frame"u8.ToArray()));
        AwaitAssert(() => Assert.Equal(["frame"], _transport.Sent));
    }

    [Fact]
    public void Request_UnknownMethod_MethodNotFoundWithoutRouter()
    {
        var session = StartSession(singleExchange: false);
        Send(session, """{"jsonrpc":"2.0","method":"unknown","id":1}""");

        AwaitAssert(() => Assert.Single(_transport.Sent));
        var error = JsonDocument.Parse(_transport.Sent.Single()).RootElement.GetProperty("error");
        Assert.Equal(-32601, error.GetProperty("code").GetInt32());
        _router.ExpectNoMsg(TimeSpan.FromMilliseconds(100));
    }

    [Fact]
    public void Batch_TwoRequestsAndAnInvalidOne_OneArrayOnceBothComplete()
    {
        var session = StartSession(singleExchange: false);
        Send(session, """[{"jsonrpc":"2.0","method":"known","id":1},{"foo":1},{"jsonrpc":"2.0","method":"other","id":2},{"jsonrpc":"2.0","method":"known"}]""");

        var calls = _router.ReceiveN(3).Cast<RouterProtocol.Invoke>().ToList();
        foreach (var call in calls.Where(c => !c.Call.IsNotification).Take(1))
        {
            call.ReplyTo.Tell(new RouterProtocol.InvocationCompleted(call.Call.Sequence, """{"r":1}"""u8.ToArray()));
        }

        ExpectNoMsg(TimeSpan.FromMilliseconds(100));
        Assert.Empty(_transport.Sent); // one response is still missing

        foreach (var call in calls.Where(c => !c.Call.IsNotification).Skip(1))
        {
            call.ReplyTo.Tell(new RouterProtocol.InvocationCompleted(call.Call.Sequence, """{"r":2}"""u8.ToArray()));
        }

        AwaitAssert(() => Assert.Single(_transport.Sent));
        var batch = JsonDocument.Parse(_transport.Sent.Single()).RootElement;
        Assert.Equal(3, batch.GetArrayLength());
    }

    [Fact]
    public void ConnectionClosed_WithCallInFlight_StopsAndCancelsTheCall()
    {
        var session = StartSession(singleExchange: false);
        Watch(session);
        Send(session, """{"jsonrpc":"2.0","method":"known","id":1}""");
        var invoke = _router.ExpectMsg<RouterProtocol.Invoke>();

        session.Tell(SessionProtocol.ConnectionClosed.Instance);

        ExpectTerminated(session);
        AwaitAssert(() => Assert.True(invoke.Call.CancellationToken.IsCancellationRequested));
        Assert.Null(_transport.ClosedWith); // a normal end is not a failure close
    }

    [Fact]
    public void Deliver_NotificationQueueFull_ClosesWithPolicyViolationAndStops()
    {
        var session = StartSession(singleExchange: false);
        Watch(session);
        _transport.Full = true;
        session.Tell(new SessionProtocol.Deliver("n"u8.ToArray()));

        ExpectTerminated(session);
        Assert.Equal(SessionCloseReason.SlowConsumer, _transport.ClosedWith);
    }

    [Fact]
    public void Deliver_NotificationQueueFullWithDropPolicy_DropsAndKeepsAnswering()
    {
        var session = StartSession(singleExchange: false, new RpcLimitsOptions { SlowConsumerPolicy = SlowConsumerPolicy.DropNotifications });
        _transport.Full = true;
        session.Tell(new SessionProtocol.Deliver("n"u8.ToArray()));
        Send(session, """{"jsonrpc":"2.0","method":"unknown","id":1}""");

        AwaitAssert(() => Assert.Single(_transport.Sent));
        Assert.Contains("-32601", _transport.Sent.Single(), StringComparison.Ordinal);
        Assert.Null(_transport.ClosedWith);
    }

    [Fact]
    public void InFlight_BatchOfRequestsAndNotifications_SettlesToZeroOnlyWhenAllAreDone()
    {
        var session = StartSession(singleExchange: false);
        Send(session, """[{"jsonrpc":"2.0","method":"known","id":1},{"jsonrpc":"2.0","method":"known"},{"jsonrpc":"2.0","method":"unknown"},{"x":1}]""");

        var calls = _router.ReceiveN(2).Cast<RouterProtocol.Invoke>().ToList();
        AwaitAssert(() => Assert.Equal(3, _transport.InFlight)); // the unknown notification is done at once
        var request = calls.Single(c => !c.Call.IsNotification);
        request.ReplyTo.Tell(new RouterProtocol.InvocationCompleted(request.Call.Sequence, "{}"u8.ToArray()));
        AwaitAssert(() => Assert.Equal(1, _transport.InFlight)); // the batch's reply settles its two answering entries
        var notification = calls.Single(c => c.Call.IsNotification);
        notification.ReplyTo.Tell(new RouterProtocol.InvocationCompleted(notification.Call.Sequence, null));
        AwaitAssert(() => Assert.Equal(0, _transport.InFlight));
    }

    [Fact]
    public void CancelRequest_KnownId_AnswersCancelledOnceCancelsTokenAndTellsRouter()
    {
        var session = StartSession(singleExchange: false);
        Send(session, """{"jsonrpc":"2.0","method":"known","id":"a"}""");
        var invoke = _router.ExpectMsg<RouterProtocol.Invoke>();

        Send(session, """{"jsonrpc":"2.0","method":"$/cancelRequest","params":{"id":"a"}}""");

        var cancel = _router.ExpectMsg<RouterProtocol.CancelInvocation>();
        Assert.Equal(invoke.Call.Sequence, cancel.Sequence);
        AwaitAssert(() => Assert.True(invoke.Call.CancellationToken.IsCancellationRequested));
        AwaitAssert(() => Assert.Single(_transport.Sent));
        var error = JsonDocument.Parse(_transport.Sent.Single()).RootElement;
        Assert.Equal("a", error.GetProperty("id").GetString());
        Assert.Equal(-32800, error.GetProperty("error").GetProperty("code").GetInt32());

        // The handler's late answer is dropped: one reply per request.
        invoke.ReplyTo.Tell(new RouterProtocol.InvocationCompleted(invoke.Call.Sequence, "late"u8.ToArray()));
        Send(session, """{"jsonrpc":"2.0","method":"unknown","id":2}""");
        AwaitAssert(() => Assert.Equal(2, _transport.Sent.Count));
        Assert.DoesNotContain("late", _transport.Sent);
        AwaitAssert(() => Assert.Equal(0, _transport.InFlight));
    }

    [Fact]
    public void CancelRequest_UnknownId_Ignored()
    {
        var session = StartSession(singleExchange: false);
        Send(session, """{"jsonrpc":"2.0","method":"known","id":1}""");
        var invoke = _router.ExpectMsg<RouterProtocol.Invoke>();

        Send(session, """{"jsonrpc":"2.0","method":"$/cancelRequest","params":{"id":2}}""");

        _router.ExpectNoMsg(TimeSpan.FromMilliseconds(100));
        Assert.Empty(_transport.Sent);
        Assert.False(invoke.Call.CancellationToken.IsCancellationRequested);
        AwaitAssert(() => Assert.Equal(1, _transport.InFlight)); // the cancel notification itself is settled
    }

    [Fact]
    public void HandlerTimeout_CallNotFinished_AnswersTimedOutAndCancels()
    {
        var session = StartSession(singleExchange: false, new RpcLimitsOptions { HandlerTimeout = TimeSpan.FromMilliseconds(200) });
        Send(session, """[{"jsonrpc":"2.0","method":"known","id":7},{"jsonrpc":"2.0","method":"other","id":8}]""");
        var calls = _router.ReceiveN(2).Cast<RouterProtocol.Invoke>().ToList();
        calls[1].ReplyTo.Tell(new RouterProtocol.InvocationCompleted(calls[1].Call.Sequence, """{"jsonrpc":"2.0","result":1,"id":8}"""u8.ToArray()));

        var cancel = _router.ExpectMsg<RouterProtocol.CancelInvocation>(TimeSpan.FromSeconds(5));
        Assert.Equal(calls[0].Call.Sequence, cancel.Sequence);
        AwaitAssert(() => Assert.Single(_transport.Sent));
        var timedOut = JsonDocument.Parse(_transport.Sent.Single()).RootElement.EnumerateArray()
            .Single(r => r.GetProperty("id").GetInt32() == 7);
        Assert.Equal(-32001, timedOut.GetProperty("error").GetProperty("code").GetInt32());
        Assert.True(calls[0].Call.CancellationToken.IsCancellationRequested);
        Assert.False(calls[1].Call.CancellationToken.IsCancellationRequested);
    }

    [Fact]
    public void SingleExchange_NotificationsOnly_CompletesEmptyAndStopsWhenTheyFinish()
    {
        var session = StartSession(singleExchange: true);
        Watch(session);
        Send(session, """[{"jsonrpc":"2.0","method":"known"},{"jsonrpc":"2.0","method":"other"}]""");

        var calls = _router.ReceiveN(2).Cast<RouterProtocol.Invoke>().ToList();
        AwaitAssert(() => Assert.True(_transport.Completed));
        Assert.Empty(_transport.Sent);

        // Answered, but the notifications still run: the session (and their token) lives on.
        ExpectNoMsg(TimeSpan.FromMilliseconds(100));
        Assert.False(calls[0].Call.CancellationToken.IsCancellationRequested);

        foreach (var call in calls)
        {
            call.ReplyTo.Tell(new RouterProtocol.InvocationCompleted(call.Call.Sequence, null));
        }

        ExpectTerminated(session);
    }

    [Fact]
    public void SingleExchange_Request_OneFrameThenComplete()
    {
        var session = StartSession(singleExchange: true);
        Watch(session);
        Send(session, """{"jsonrpc":"2.0","method":"known","id":1}""");
        var invoke = _router.ExpectMsg<RouterProtocol.Invoke>();
        Assert.False(_transport.Completed);

        invoke.ReplyTo.Tell(new RouterProtocol.InvocationCompleted(invoke.Call.Sequence, "answer"u8.ToArray()));

        ExpectTerminated(session);
        Assert.True(_transport.Completed);
        Assert.Equal(["answer"], _transport.Sent);
    }

    [Fact]
    public void LocalTask_SingleCall_HandlerThreadAnswersAndReleases()
    {
        var gate = UseHeldLocalTask();
        var session = StartSession(singleExchange: false);
        Send(session, """{"jsonrpc":"2.0","method":"held","id":7}""");

        AwaitAssert(() => Assert.Equal(1, gate.Started));
        gate.Release("done");

        AwaitAssert(() => Assert.Single(_transport.Sent));
        var response = JsonDocument.Parse(_transport.Sent.Single()).RootElement;
        Assert.Equal("done", response.GetProperty("result").GetString());
        Assert.Equal(7, response.GetProperty("id").GetInt32());
        AwaitAssert(() => Assert.Equal(0, _transport.InFlight));
        _router.ExpectNoMsg(TimeSpan.FromMilliseconds(50)); // started by the session itself, not through the router
    }

    [Fact]
    public void LocalTask_TimedOutThenHandlerFinishes_OnlyTheTimeoutIsWritten()
    {
        var gate = UseHeldLocalTask();
        var session = StartSession(singleExchange: false, new RpcLimitsOptions { HandlerTimeout = TimeSpan.FromMilliseconds(100) });
        Send(session, """{"jsonrpc":"2.0","method":"held","id":1}""");

        AwaitAssert(() => Assert.Single(_transport.Sent), TimeSpan.FromSeconds(5));
        Assert.Equal(-32001, JsonDocument.Parse(_transport.Sent.Single()).RootElement.GetProperty("error").GetProperty("code").GetInt32());
        Assert.True(gate.Token.IsCancellationRequested);

        gate.Release("late"); // The handler's own thread now tries to answer too: it must find the call gone.
        AwaitAssert(() => Assert.Equal(1, gate.Finished));
        ExpectNoMsg(TimeSpan.FromMilliseconds(100));
        Assert.Single(_transport.Sent);
        Assert.Equal(0, _transport.InFlight);
    }

    // A local task method "held" whose calls wait for the test, published as MethodHostActor publishes local task methods.
    private HeldMethod UseHeldLocalTask()
    {
        var options = RpcMethodsOptions.CreateDefaultSerializerOptions();
        var held = new HeldMethod();
        var handler = new ActorRpc.Methods.Binding.ReflectedMethodHandler(typeof(HeldMethod).GetMethod(nameof(HeldMethod.Held))!, held, options);
        var outcomes = new CallOutcomes(Sys.Log, options, detailedErrors: false, Infrastructure.TestMetrics.Create("held"));
        _directory.Publish(new Dictionary<string, MethodRoute> { ["held"] = new(_router.Ref, new LocalTaskMethod(handler, outcomes)) });
        return held;
    }

    private IActorRef StartSession(bool singleExchange, RpcLimitsOptions? limits = null)
    {
        var dependencies = new SessionDependencies(
            _directory,
            limits ?? new RpcLimitsOptions(),
            RpcMethodsOptions.CreateDefaultSerializerOptions(),
            new ServiceCollection().BuildServiceProvider(),
            TopicCatalog.Empty,
            _topics.Ref,
            Infrastructure.TestMetrics.Create("known", "other"));
        var info = new SessionInfo("s1", "127.0.0.1:1", singleExchange ? SessionInfo.HttpTransport : SessionInfo.WebSocketTransport, singleExchange);
        return Sys.ActorOf(SessionActor.Props(info, _transport, dependencies));
    }

    // As the receive loop does: each message handed over counts one in flight.
    private void Send(IActorRef session, string message)
    {
        _transport.AddInFlight(1);
        session.Tell(new SessionProtocol.InboundMessage(Encoding.UTF8.GetBytes(message)));
    }

    private sealed class FakeTransport : ISessionTransport
    {
        private readonly ConcurrentQueue<string> _sent = new();

        public IReadOnlyList<string> Sent => [.. _sent];

        public volatile bool Full;
        public volatile bool Completed;

        public SessionCloseReason? ClosedWith { get; private set; }

        private int _inFlight;

        public int InFlight => Volatile.Read(ref _inFlight);

        public bool TryNotify(byte[] frame)
        {
            if (Full)
            {
                return false;
            }

            _sent.Enqueue(Encoding.UTF8.GetString(frame));
            return true;
        }

        public void Reply(byte[] frame, int requests)
        {
            _sent.Enqueue(Encoding.UTF8.GetString(frame));
            Release(requests);
        }

        public void AddInFlight(int requests) => Interlocked.Add(ref _inFlight, requests);

        public void Release(int requests) => Interlocked.Add(ref _inFlight, -requests);

        public void Close(SessionCloseReason reason) => ClosedWith = reason;

        public void Complete() => Completed = true;
    }

    /// <summary>The handler behind "held", one per test.</summary>
    public sealed class HeldMethod
    {
        private readonly TaskCompletionSource<string> _result = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _started;
        private int _finished;

        public int Started => Volatile.Read(ref _started);

        public int Finished => Volatile.Read(ref _finished);

        public CancellationToken Token { get; private set; }

        public void Release(string result) => _result.TrySetResult(result);

        public async Task<string> Held(CancellationToken cancellationToken)
        {
            Token = cancellationToken;
            Interlocked.Increment(ref _started);
            try
            {
                return await _result.Task.ConfigureAwait(false); // Ignores the token on purpose: a handler that finishes late.
            }
            finally
            {
                Interlocked.Increment(ref _finished);
            }
        }
    }
}
