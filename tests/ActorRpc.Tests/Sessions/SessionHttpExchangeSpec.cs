using ActorRpc.Tests.Infrastructure;
using Akka.Actor;
using ActorRpc.Actors.Routing;

namespace ActorRpc.Tests.Sessions;

/// <summary>A session for one HTTP POST: one message in, at most one frame out, then it stops (Answering, Answered, Stopping).</summary>
public sealed class SessionHttpExchangeSpec : SessionSpecBase
{
    [Fact]
    public async Task SingleExchange_NotificationsOnly_CompletesEmptyAndStopsWhenTheyFinish()
    {
        var session = StartSession(singleExchange: true);
        Watch(session);
        Send(session, """[{"jsonrpc":"2.0","method":"known"},{"jsonrpc":"2.0","method":"other"}]""");

        var calls = await ReceiveInvokesAsync(2);
        await AwaitAssertAsync(() => Assert.True(Transport.Completed));
        Assert.Empty(Transport.Sent);

        // Answered, but the notifications still run: the session (and their token) lives on.
        await ExpectNoMsgAsync(TestTimeouts.Short);
        Assert.False(calls[0].Call.CancellationToken.IsCancellationRequested);

        foreach (var call in calls)
        {
            call.ReplyTo.Tell(new RouterProtocol.InvocationCompleted(call.Call.Sequence, null));
        }

        await ExpectTerminatedAsync(session);
    }

    [Fact]
    public async Task SingleExchange_Request_OneFrameThenComplete()
    {
        var session = StartSession(singleExchange: true);
        Watch(session);
        Send(session, """{"jsonrpc":"2.0","method":"known","id":1}""");
        var invoke = await Router.ExpectMsgAsync<RouterProtocol.Invoke>();
        Assert.False(Transport.Completed);

        invoke.ReplyTo.Tell(new RouterProtocol.InvocationCompleted(invoke.Call.Sequence, "answer"u8.ToArray()));

        await ExpectTerminatedAsync(session);
        Assert.True(Transport.Completed);
        Assert.Equal(["answer"], Transport.Sent);
    }

    [Fact]
    public async Task SingleExchange_SecondMessage_Dropped()
    {
        var session = StartSession(singleExchange: true);
        Send(session, """{"jsonrpc":"2.0","method":"known","id":1}""");
        Send(session, """{"jsonrpc":"2.0","method":"other","id":2}""");

        var invoke = await Router.ExpectMsgAsync<RouterProtocol.Invoke>();
        Assert.Equal("known", invoke.Call.Method);
        await Router.ExpectNoMsgAsync(TestTimeouts.Short); // one message per exchange
    }
}
