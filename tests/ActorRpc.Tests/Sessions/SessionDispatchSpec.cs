using ActorRpc.Tests.Infrastructure;
using System.Text;
using System.Text.Json;
using Akka.Actor;
using ActorRpc.Actors.Routing;
using ActorRpc.Actors.Sessions;
using ActorRpc.Actors.Topics;
using ActorRpc.Methods.Topics;

namespace ActorRpc.Tests.Sessions;

/// <summary>How a session answers or dispatches what it reads, and keeps the in-flight count.</summary>
public sealed class SessionDispatchSpec : SessionSpecBase
{
    [Fact]
    public async Task Request_KnownMethod_ForwardedToRouterAndAnswerWritten()
    {
        var session = StartSession(singleExchange: false);
        Send(session, """{"jsonrpc":"2.0","method":"known","params":[1,2],"id":"a"}""");

        var invoke = await Router.ExpectMsgAsync<RouterProtocol.Invoke>();
        Assert.Equal("known", invoke.Call.Method);
        Assert.Equal("\"a\"", Encoding.UTF8.GetString(invoke.Call.Id.Span));
        Assert.Equal("[1,2]", Encoding.UTF8.GetString(invoke.Call.Params.Span));
        Assert.Equal(session, invoke.ReplyTo);

        invoke.ReplyTo.Tell(new RouterProtocol.InvocationCompleted(invoke.Call.Sequence, "frame"u8.ToArray()));
        await AwaitAssertAsync(() => Assert.Equal(["frame"], Transport.Sent));
    }

    [Fact]
    public async Task Request_UnknownMethod_MethodNotFoundWithoutRouter()
    {
        var session = StartSession(singleExchange: false);
        Send(session, """{"jsonrpc":"2.0","method":"unknown","id":1}""");

        await AwaitAssertAsync(() => Assert.Single(Transport.Sent));
        var error = JsonDocument.Parse(Transport.Sent.Single()).RootElement.GetProperty("error");
        Assert.Equal(-32601, error.GetProperty("code").GetInt32());
        await Router.ExpectNoMsgAsync(TestTimeouts.Short);
    }

    [Fact]
    public async Task Batch_TwoRequestsAndAnInvalidOne_OneArrayOnceBothComplete()
    {
        var session = StartSession(singleExchange: false);
        Send(session, """[{"jsonrpc":"2.0","method":"known","id":1},{"foo":1},{"jsonrpc":"2.0","method":"other","id":2},{"jsonrpc":"2.0","method":"known"}]""");

        var calls = await ReceiveInvokesAsync(3);
        foreach (var call in calls.Where(c => !c.Call.IsNotification).Take(1))
        {
            call.ReplyTo.Tell(new RouterProtocol.InvocationCompleted(call.Call.Sequence, """{"r":1}"""u8.ToArray()));
        }

        await ExpectNoMsgAsync(TestTimeouts.Short);
        Assert.Empty(Transport.Sent); // one response is still missing

        foreach (var call in calls.Where(c => !c.Call.IsNotification).Skip(1))
        {
            call.ReplyTo.Tell(new RouterProtocol.InvocationCompleted(call.Call.Sequence, """{"r":2}"""u8.ToArray()));
        }

        await AwaitAssertAsync(() => Assert.Single(Transport.Sent));
        var batch = JsonDocument.Parse(Transport.Sent.Single()).RootElement;
        Assert.Equal(3, batch.GetArrayLength());
    }

    [Fact]
    public async Task InFlight_BatchOfRequestsAndNotifications_SettlesToZeroOnlyWhenAllAreDone()
    {
        var session = StartSession(singleExchange: false);
        Send(session, """[{"jsonrpc":"2.0","method":"known","id":1},{"jsonrpc":"2.0","method":"known"},{"jsonrpc":"2.0","method":"unknown"},{"x":1}]""");

        var calls = await ReceiveInvokesAsync(2);
        await AwaitAssertAsync(() => Assert.Equal(3, Transport.InFlight)); // the unknown notification is done at once
        var request = calls.Single(c => !c.Call.IsNotification);
        request.ReplyTo.Tell(new RouterProtocol.InvocationCompleted(request.Call.Sequence, "{}"u8.ToArray()));
        await AwaitAssertAsync(() => Assert.Equal(1, Transport.InFlight)); // the batch's reply settles its two answering entries
        var notification = calls.Single(c => c.Call.IsNotification);
        notification.ReplyTo.Tell(new RouterProtocol.InvocationCompleted(notification.Call.Sequence, null));
        await AwaitAssertAsync(() => Assert.Equal(0, Transport.InFlight));
    }

    [Fact]
    public async Task Subscribe_KnownTopics_TellsTopicsActorOnceEachAndAnswersTheSortedSet()
    {
        var session = StartSession(singleExchange: false, topics: new RpcTopicsBuilder().AddTopic("b").AddTopic("a").Build());
        Send(session, """{"jsonrpc":"2.0","method":"subscribe","params":["b","a"],"id":1}""");
        Send(session, """{"jsonrpc":"2.0","method":"subscribe","params":["a"],"id":2}""");

        Assert.Equal("b", (await Topics.ExpectMsgAsync<TopicProtocol.Subscribe>()).Topic);
        Assert.Equal("a", (await Topics.ExpectMsgAsync<TopicProtocol.Subscribe>()).Topic);
        await Topics.ExpectNoMsgAsync(TestTimeouts.Short); // "a" again is no new subscription
        await AwaitAssertAsync(() => Assert.Equal(2, Transport.Sent.Count));
        Assert.All(Transport.Sent, frame => Assert.Contains("\"result\":[\"a\",\"b\"]", frame, StringComparison.Ordinal));
        Assert.Equal(0, Transport.InFlight);
    }
}
