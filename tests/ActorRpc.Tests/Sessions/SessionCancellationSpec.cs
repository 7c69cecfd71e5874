using ActorRpc.Tests.Infrastructure;
using System.Text.Json;
using Akka.Actor;
using ActorRpc.Actors.Routing;
using ActorRpc.Actors.Sessions;

namespace ActorRpc.Tests.Sessions;

/// <summary>How a session gives calls up: when its connection closes, when the client cancels, when a handler times out.</summary>
public sealed class SessionCancellationSpec : SessionSpecBase
{
    [Fact]
    public async Task ConnectionClosed_WithCallInFlight_StopsAndCancelsTheCall()
    {
        var session = StartSession(singleExchange: false);
        Watch(session);
        Send(session, """{"jsonrpc":"2.0","method":"known","id":1}""");
        var invoke = await Router.ExpectMsgAsync<RouterProtocol.Invoke>();

        session.Tell(SessionProtocol.ConnectionClosed.Instance);

        await ExpectTerminatedAsync(session);
        await AwaitAssertAsync(() => Assert.True(invoke.Call.CancellationToken.IsCancellationRequested));
        Assert.Null(Transport.ClosedWith); // a normal end is not a failure close
    }

    [Fact]
    public async Task CancelRequest_KnownId_AnswersCancelledOnceCancelsTokenAndTellsRouter()
    {
        var session = StartSession(singleExchange: false);
        Send(session, """{"jsonrpc":"2.0","method":"known","id":"a"}""");
        var invoke = await Router.ExpectMsgAsync<RouterProtocol.Invoke>();

        Send(session, """{"jsonrpc":"2.0","method":"$/cancelRequest","params":{"id":"a"}}""");

        var cancel = await Router.ExpectMsgAsync<RouterProtocol.CancelInvocation>();
        Assert.Equal(invoke.Call.Sequence, cancel.Sequence);
        await AwaitAssertAsync(() => Assert.True(invoke.Call.CancellationToken.IsCancellationRequested));
        await AwaitAssertAsync(() => Assert.Single(Transport.Sent));
        var error = JsonDocument.Parse(Transport.Sent.Single()).RootElement;
        Assert.Equal("a", error.GetProperty("id").GetString());
        Assert.Equal(-32800, error.GetProperty("error").GetProperty("code").GetInt32());

        // The handler's late answer is dropped: one reply per request.
        invoke.ReplyTo.Tell(new RouterProtocol.InvocationCompleted(invoke.Call.Sequence, "late"u8.ToArray()));
        Send(session, """{"jsonrpc":"2.0","method":"unknown","id":2}""");
        await AwaitAssertAsync(() => Assert.Equal(2, Transport.Sent.Count));
        Assert.DoesNotContain("late", Transport.Sent);
        await AwaitAssertAsync(() => Assert.Equal(0, Transport.InFlight));
    }

    [Fact]
    public async Task CancelRequest_UnknownId_Ignored()
    {
        var session = StartSession(singleExchange: false);
        Send(session, """{"jsonrpc":"2.0","method":"known","id":1}""");
        var invoke = await Router.ExpectMsgAsync<RouterProtocol.Invoke>();

        Send(session, """{"jsonrpc":"2.0","method":"$/cancelRequest","params":{"id":2}}""");

        await Router.ExpectNoMsgAsync(TestTimeouts.Short);
        Assert.Empty(Transport.Sent);
        Assert.False(invoke.Call.CancellationToken.IsCancellationRequested);
        await AwaitAssertAsync(() => Assert.Equal(1, Transport.InFlight)); // the cancel notification itself is settled
    }

    [Fact]
    public async Task HandlerTimeout_CallNotFinished_AnswersTimedOutAndCancels()
    {
        var session = StartSession(singleExchange: false, new RpcLimitsOptions { HandlerTimeout = TimeSpan.FromMilliseconds(200) });
        Send(session, """[{"jsonrpc":"2.0","method":"known","id":7},{"jsonrpc":"2.0","method":"other","id":8}]""");
        var calls = await ReceiveInvokesAsync(2);
        calls[1].ReplyTo.Tell(new RouterProtocol.InvocationCompleted(calls[1].Call.Sequence, """{"jsonrpc":"2.0","result":1,"id":8}"""u8.ToArray()));

        var cancel = await Router.ExpectMsgAsync<RouterProtocol.CancelInvocation>(TimeSpan.FromSeconds(5));
        Assert.Equal(calls[0].Call.Sequence, cancel.Sequence);
        await AwaitAssertAsync(() => Assert.Single(Transport.Sent));
        var timedOut = JsonDocument.Parse(Transport.Sent.Single()).RootElement.EnumerateArray()
            .Single(r => r.GetProperty("id").GetInt32() == 7);
        Assert.Equal(-32001, timedOut.GetProperty("error").GetProperty("code").GetInt32());
        Assert.True(calls[0].Call.CancellationToken.IsCancellationRequested);
        Assert.False(calls[1].Call.CancellationToken.IsCancellationRequested);
    }

    [Fact]
    public async Task CancelRequest_EscapedStringId_CancelsTheCallItNames()
    {
        var session = StartSession(singleExchange: false);
        Send(session, """{"jsonrpc":"2.0","method":"known","id":"a\/b\u00e9"}""");
        var escaped = await Router.ExpectMsgAsync<RouterProtocol.Invoke>();
        Send(session, """{"jsonrpc":"2.0","method":"known","id":1}""");
        var number = await Router.ExpectMsgAsync<RouterProtocol.Invoke>();

        Send(session, """{"jsonrpc":"2.0","method":"$/cancelRequest","params":{"id":"a/bé"}}""");
        Send(session, """{"jsonrpc":"2.0","method":"$/cancelRequest","params":{"id":"1"}}""");

        var cancel = await Router.ExpectMsgAsync<RouterProtocol.CancelInvocation>();
        Assert.Equal(escaped.Call.Sequence, cancel.Sequence);
        await AwaitAssertAsync(() => Assert.True(escaped.Call.CancellationToken.IsCancellationRequested));
        await Router.ExpectNoMsgAsync(TestTimeouts.Short); // "1" the string is not 1 the number
        Assert.False(number.Call.CancellationToken.IsCancellationRequested);
    }

    [Fact]
    public async Task CancelRequest_LaterCall_DoesNotCancelTheTokenAFinishedHandlerStillHolds()
    {
        // Issue #12: a finished call's token source was reset and handed to the next call, so stray work
        // of the first handler that still held its token was cancelled along with the later call.
        var session = StartSession(singleExchange: false);
        Send(session, """{"jsonrpc":"2.0","method":"known","id":1}""");
        var first = await Router.ExpectMsgAsync<RouterProtocol.Invoke>();
        var heldByStrayWork = first.Call.CancellationToken;
        first.ReplyTo.Tell(new RouterProtocol.InvocationCompleted(first.Call.Sequence, """{"jsonrpc":"2.0","result":1,"id":1}"""u8.ToArray()));
        await AwaitAssertAsync(() => Assert.Single(Transport.Sent));

        Send(session, """{"jsonrpc":"2.0","method":"known","id":2}""");
        var second = await Router.ExpectMsgAsync<RouterProtocol.Invoke>();
        Send(session, """{"jsonrpc":"2.0","method":"$/cancelRequest","params":{"id":2}}""");

        await Router.ExpectMsgAsync<RouterProtocol.CancelInvocation>();
        await AwaitAssertAsync(() => Assert.True(second.Call.CancellationToken.IsCancellationRequested));
        Assert.False(heldByStrayWork.IsCancellationRequested);
    }
}
