using System.Text.Json;
using ActorRpc.Actors.Diagnostics;
using ActorRpc.Actors.Routing;
using ActorRpc.Actors.Sessions;
using ActorRpc.Tests.Infrastructure;
using Akka.Actor;

namespace ActorRpc.Tests.Sessions;

/// <summary>
/// Issue 12: the node-wide handler cap (ActorRpc:Limits:MaxNodeHandlers, -32000) and the
/// per-connection rate limit (ActorRpc:Limits:MessagesPerSecond / MessageBurst, -32029), as the
/// session applies them: what is answered, what is dropped and counted, and when a handler's place is given back.
/// </summary>
public sealed class SessionLimitsSpec : SessionSpecBase
{
    [Fact]
    public async Task NodeHandlersFull_CallServerBusyNotificationDroppedBothCounted()
    {
        using var refused = new RefusedRequests("known", "other");
        var handlers = new NodeHandlers(1);
        Assert.True(handlers.TryAcquire()); // another connection's handler holds the node's only place
        var session = StartSession(singleExchange: false, metrics: refused.Metrics, nodeHandlers: handlers);

        Send(session, """{"jsonrpc":"2.0","method":"known","id":1}""");
        Send(session, """{"jsonrpc":"2.0","method":"known"}""");

        await AwaitAssertAsync(() => Assert.Single(Transport.Sent));
        var error = JsonDocument.Parse(Transport.Sent.Single()).RootElement.GetProperty("error");
        Assert.Equal(-32000, error.GetProperty("code").GetInt32());
        Assert.Equal("Server busy", error.GetProperty("message").GetString());
        Assert.Equal("ActorRpc:Limits:MaxNodeHandlers", error.GetProperty("data").GetProperty("limit").GetString());
        await Router.ExpectNoMsgAsync(TestTimeouts.Short);
        Assert.Equal(1, refused.Count(RpcMetrics.ServerBusy, "call"));
        Assert.Equal(1, refused.Count(RpcMetrics.ServerBusy, "notification"));
        Assert.Equal(0, Transport.InFlight);

        handlers.Release();
        Send(session, """{"jsonrpc":"2.0","method":"known","id":2}""");
        await Router.ExpectMsgAsync<RouterProtocol.Invoke>();
        Assert.Equal(1, handlers.Count);
    }

    [Fact]
    public async Task NodeHandlers_PlaceGivenBackWhenCallCompletesOrSessionStops()
    {
        var handlers = new NodeHandlers(10);
        var session = StartSession(singleExchange: false, nodeHandlers: handlers);
        Watch(session);

        Send(session, """{"jsonrpc":"2.0","method":"known","id":1}""");
        var first = await Router.ExpectMsgAsync<RouterProtocol.Invoke>();
        Assert.Equal(1, handlers.Count);
        first.ReplyTo.Tell(new RouterProtocol.InvocationCompleted(first.Call.Sequence, "a"u8.ToArray()));
        await AwaitAssertAsync(() => Assert.Equal(0, handlers.Count));

        Send(session, """[{"jsonrpc":"2.0","method":"known","id":2},{"jsonrpc":"2.0","method":"other"}]""");
        await ReceiveInvokesAsync(2);
        Assert.Equal(2, handlers.Count);
        session.Tell(SessionProtocol.ConnectionClosed.Instance);
        await ExpectTerminatedAsync(session);
        Assert.Equal(0, handlers.Count);
    }

    [Fact]
    public async Task RateLimit_BatchOfSixPastBurstOfThree_ThreeRunThreeTooManyRequestsWithRetryAfter()
    {
        using var refused = new RefusedRequests("known", "other");
        var limits = new RpcLimitsOptions { MessagesPerSecond = 0.5, MessageBurst = 3 };
        var session = StartSession(singleExchange: false, limits, metrics: refused.Metrics);

        Send(session, """[{"jsonrpc":"2.0","method":"known","id":1},{"jsonrpc":"2.0","method":"known","id":2},{"jsonrpc":"2.0","method":"known","id":3},{"jsonrpc":"2.0","method":"known","id":4},{"jsonrpc":"2.0","method":"known","id":5},{"jsonrpc":"2.0","method":"known","id":6}]""");
        var calls = await ReceiveInvokesAsync(3);
        await Router.ExpectNoMsgAsync(TestTimeouts.Short);
        foreach (var call in calls)
        {
            call.ReplyTo.Tell(new RouterProtocol.InvocationCompleted(call.Call.Sequence, JsonSerializer.SerializeToUtf8Bytes(new { jsonrpc = "2.0", result = "ok", id = JsonDocument.Parse(call.Call.Id).RootElement.GetInt32() })));
        }

        await AwaitAssertAsync(() => Assert.Single(Transport.Sent));
        var replies = JsonDocument.Parse(Transport.Sent.Single()).RootElement.EnumerateArray().ToList();
        Assert.Equal(6, replies.Count);
        var limited = replies.Where(r => r.TryGetProperty("error", out _)).ToList();
        Assert.Equal([4, 5, 6], limited.Select(r => r.GetProperty("id").GetInt32()).Order());
        foreach (var reply in limited)
        {
            var error = reply.GetProperty("error");
            Assert.Equal(-32029, error.GetProperty("code").GetInt32());
            Assert.Equal("Too many requests", error.GetProperty("message").GetString());
            Assert.True(error.GetProperty("data").GetProperty("retryAfterMs").GetInt64() > 0);
        }

        // Notifications past the limit are dropped (never routed) and counted; the session carries on.
        Send(session, """{"jsonrpc":"2.0","method":"known"}""");
        Send(session, """{"jsonrpc":"2.0","method":"known"}""");
        await AwaitAssertAsync(() => Assert.Equal(2, refused.Count(RpcMetrics.RateLimited, "notification")));
        await Router.ExpectNoMsgAsync(TestTimeouts.Short);
        Assert.Equal(3, refused.Count(RpcMetrics.RateLimited, "call"));
        Assert.Equal(0, Transport.InFlight);
        Assert.Null(Transport.ClosedWith);
    }

    [Fact]
    public async Task RateLimit_PastTheLimitThenTokenComesBackWithTime()
    {
        using var refused = new RefusedRequests("known");
        // A token every 2 s: wide enough that a loaded CI machine still sends the second message before the next token.
        var limits = new RpcLimitsOptions { MessagesPerSecond = 0.5, MessageBurst = 1 };
        var session = StartSession(singleExchange: false, limits, metrics: refused.Metrics);

        Send(session, """{"jsonrpc":"2.0","method":"known"}""");
        await Router.ExpectMsgAsync<RouterProtocol.Invoke>();

        // The limit is on: a second notification at once (the next token is 2 s away) is dropped and counted.
        Send(session, """{"jsonrpc":"2.0","method":"known"}""");
        await AwaitAssertAsync(() => Assert.Equal(1, refused.Count(RpcMetrics.RateLimited, "notification")));
        await Router.ExpectNoMsgAsync(TimeSpan.Zero);

        // A token is back every 2 s: a later notification runs again (never waited on: the next one is simply tried).
        await AwaitAssertAsync(
            async () =>
            {
                Send(session, """{"jsonrpc":"2.0","method":"known"}""");
                await Router.ExpectMsgAsync<RouterProtocol.Invoke>(TimeSpan.FromMilliseconds(100));
            },
            TestTimeouts.Long,
            TimeSpan.FromMilliseconds(150));
    }

    [Fact]
    public async Task RateLimit_PastTheLimit_CancelRequestStillCancels()
    {
        using var refused = new RefusedRequests("known");
        var limits = new RpcLimitsOptions { MessagesPerSecond = 0.001, MessageBurst = 1 };
        var session = StartSession(singleExchange: false, limits, metrics: refused.Metrics);
        Send(session, """{"jsonrpc":"2.0","method":"known","id":"a"}""");
        var invoke = await Router.ExpectMsgAsync<RouterProtocol.Invoke>();

        // The bucket is empty now; a client must still be able to cancel its own calls.
        Send(session, """{"jsonrpc":"2.0","method":"$/cancelRequest","params":{"id":"a"}}""");

        var cancel = await Router.ExpectMsgAsync<RouterProtocol.CancelInvocation>();
        Assert.Equal(invoke.Call.Sequence, cancel.Sequence);
        await AwaitAssertAsync(() => Assert.True(invoke.Call.CancellationToken.IsCancellationRequested));
        await AwaitAssertAsync(() => Assert.Single(Transport.Sent));
        var error = JsonDocument.Parse(Transport.Sent.Single()).RootElement.GetProperty("error");
        Assert.Equal(-32800, error.GetProperty("code").GetInt32());
        Assert.Equal(0, refused.Count(RpcMetrics.RateLimited, "notification"));
    }

    [Fact]
    public async Task RateLimit_HttpExchange_NotLimited()
    {
        var limits = new RpcLimitsOptions { MessagesPerSecond = 0.5, MessageBurst = 1 };
        var session = StartSession(singleExchange: true, limits);

        Send(session, """[{"jsonrpc":"2.0","method":"known","id":1},{"jsonrpc":"2.0","method":"known","id":2},{"jsonrpc":"2.0","method":"known","id":3}]""");

        await ReceiveInvokesAsync(3);
    }
}
