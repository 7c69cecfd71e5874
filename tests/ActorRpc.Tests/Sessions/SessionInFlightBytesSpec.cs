using System.Text;
using Akka.Actor;
using ActorRpc.Actors.Routing;
using ActorRpc.Tests.Infrastructure;

namespace ActorRpc.Tests.Sessions;

/// <summary>
/// MaxInFlightBytes as the session keeps it (ISessionTransport's remarks): a message's whole length
/// settles once, with its last entry: a single call's reply or release, a batch's reply, or the last
/// of the batch's routed notifications to finish after it.
/// </summary>
public sealed class SessionInFlightBytesSpec : SessionSpecBase
{
    [Fact]
    public async Task Single_RoutedRequest_BytesSettleWithItsReply()
    {
        var session = StartSession(singleExchange: false);
        const string Message = """{"jsonrpc":"2.0","method":"known","id":1}""";
        Send(session, Message);

        var invoke = await Router.ExpectMsgAsync<RouterProtocol.Invoke>();
        await ExpectNoMsgAsync(TestTimeouts.Short);
        Assert.Equal(0, Transport.ReleasedBytes);

        invoke.ReplyTo.Tell(new RouterProtocol.InvocationCompleted(invoke.Call.Sequence, "frame"u8.ToArray()));
        await AwaitAssertAsync(() => Assert.Equal(Encoding.UTF8.GetByteCount(Message), Transport.ReleasedBytes));
        Assert.Equal(0, Transport.InFlight);
    }

    [Fact]
    public async Task Single_AnsweredAtOnce_BytesSettleWithTheAnswer()
    {
        var session = StartSession(singleExchange: false);
        const string Message = """{"jsonrpc":"2.0","method":"unknown","id":1}""";
        Send(session, Message);

        await AwaitAssertAsync(() => Assert.Equal(Encoding.UTF8.GetByteCount(Message), Transport.ReleasedBytes));
        Assert.Single(Transport.Sent);
    }

    [Fact]
    public async Task Batch_NotificationOutlivesTheReply_BytesSettleWithTheLastNotification()
    {
        var session = StartSession(singleExchange: false);
        const string Message = """[{"jsonrpc":"2.0","method":"known","id":1},{"jsonrpc":"2.0","method":"other"}]""";
        Send(session, Message);

        var calls = await ReceiveInvokesAsync(2);
        var request = calls.Single(c => !c.Call.IsNotification);
        var notification = calls.Single(c => c.Call.IsNotification);
        request.ReplyTo.Tell(new RouterProtocol.InvocationCompleted(request.Call.Sequence, """{"r":1}"""u8.ToArray()));
        await AwaitAssertAsync(() => Assert.Single(Transport.Sent));
        await ExpectNoMsgAsync(TestTimeouts.Short);
        Assert.Equal(0, Transport.ReleasedBytes); // the notification still runs, and the message with it

        notification.ReplyTo.Tell(new RouterProtocol.InvocationCompleted(notification.Call.Sequence, null));
        await AwaitAssertAsync(() => Assert.Equal(Encoding.UTF8.GetByteCount(Message), Transport.ReleasedBytes));
        Assert.Equal(0, Transport.InFlight);
    }

    [Fact]
    public async Task Batch_ReplyLast_BytesSettleWithTheReplyOnce()
    {
        var session = StartSession(singleExchange: false);
        const string Message = """[{"jsonrpc":"2.0","method":"known","id":1},{"jsonrpc":"2.0","method":"other"},{"jsonrpc":"2.0","method":"unknown"}]""";
        Send(session, Message);

        var calls = await ReceiveInvokesAsync(2);
        var notification = calls.Single(c => c.Call.IsNotification);
        notification.ReplyTo.Tell(new RouterProtocol.InvocationCompleted(notification.Call.Sequence, null));
        await ExpectNoMsgAsync(TestTimeouts.Short);
        Assert.Equal(0, Transport.ReleasedBytes);

        var request = calls.Single(c => !c.Call.IsNotification);
        request.ReplyTo.Tell(new RouterProtocol.InvocationCompleted(request.Call.Sequence, """{"r":1}"""u8.ToArray()));
        await AwaitAssertAsync(() => Assert.Equal(Encoding.UTF8.GetByteCount(Message), Transport.ReleasedBytes));
        await ExpectNoMsgAsync(TestTimeouts.Short);
        Assert.Equal(Encoding.UTF8.GetByteCount(Message), Transport.ReleasedBytes);
    }

    [Fact]
    public async Task Batch_OnlyNotificationsDoneAtDispatch_BytesSettleAtOnce()
    {
        var session = StartSession(singleExchange: false);
        const string Message = """[{"jsonrpc":"2.0","method":"unknown"},{"jsonrpc":"2.0","method":"unknown"}]""";
        Send(session, Message);

        await AwaitAssertAsync(() => Assert.Equal(Encoding.UTF8.GetByteCount(Message), Transport.ReleasedBytes));
        Assert.Empty(Transport.Sent);
        Assert.Equal(0, Transport.InFlight);
    }
}
