using Akka.Actor;
using ActorRpc.Actors.Sessions;
using ActorRpc.Tests.Infrastructure;
using ActorRpc.Tests.Sessions;

namespace ActorRpc.Tests.ClientCalls;

/// <summary>
/// Issue 14, the session's side of calls to its client, against a fake transport: the outbound
/// limits hold them, responses settle their in-flight count without a reply, and every caller gets
/// exactly one answer, however the session ends.
/// </summary>
public sealed class SessionClientCallsSpec : SessionSpecBase
{
    [Fact]
    public async Task CallClient_QueueFull_DropNotificationsPolicy_RefusedNamingTheLimitAndConnectionKept()
    {
        var session = StartSession(singleExchange: false, new RpcLimitsOptions { SlowConsumerPolicy = SlowConsumerPolicy.DropNotifications });
        Transport.Full = true;

        session.Tell(new ClientCallProtocol.CallClient("confirm", [], ExpectsAnswer: true), TestActor);

        var answer = await ExpectMsgAsync<ClientCallProtocol.ClientCallAnswer>();
        Assert.Equal(ClientCallOutcome.Refused, answer.Outcome);
        Assert.Contains("ActorRpc:Limits:MaxOutboundQueue", answer.Detail);
        Assert.Null(Transport.ClosedWith);
    }

    [Fact]
    public async Task CallClient_QueueFull_DisconnectPolicy_SessionClosedAndCallGone()
    {
        var session = StartSession(singleExchange: false);
        Watch(session);
        Transport.Full = true;

        session.Tell(new ClientCallProtocol.CallClient("confirm", [], ExpectsAnswer: true), TestActor);

        Assert.Equal(ClientCallOutcome.Gone, (await ExpectMsgAsync<ClientCallProtocol.ClientCallAnswer>()).Outcome);
        await ExpectTerminatedAsync(session);
        Assert.Equal(SessionCloseReason.SlowConsumer, Transport.ClosedWith);
    }

    [Fact]
    public async Task CallClient_HttpExchange_NotSupported()
    {
        var session = StartSession(singleExchange: true);
        session.Tell(new ClientCallProtocol.CallClient("confirm", [], ExpectsAnswer: true), TestActor);
        Assert.Equal(ClientCallOutcome.NotSupported, (await ExpectMsgAsync<ClientCallProtocol.ClientCallAnswer>()).Outcome);
    }

    [Fact]
    public async Task PendingCalls_SessionStops_EachCallerGoneOnce()
    {
        var session = StartSession(singleExchange: false);
        var first = CreateTestProbe();
        var second = CreateTestProbe();
        session.Tell(new ClientCallProtocol.CallClient("a", [], ExpectsAnswer: true), first.Ref);
        session.Tell(new ClientCallProtocol.CallClient("b", "[1]"u8.ToArray(), ExpectsAnswer: true), second.Ref);
        await AwaitAssertAsync(() => Assert.Equal(2, Transport.Sent.Count));

        session.Tell(SessionProtocol.ConnectionClosed.Instance);

        Assert.Equal(ClientCallOutcome.Gone, (await first.ExpectMsgAsync<ClientCallProtocol.ClientCallAnswer>()).Outcome);
        Assert.Equal(ClientCallOutcome.Gone, (await second.ExpectMsgAsync<ClientCallProtocol.ClientCallAnswer>()).Outcome);
        await first.ExpectNoMsgAsync(TestTimeouts.Short);
    }

    [Fact]
    public async Task Responses_AloneAndInABatch_SettleInFlightWithoutAnyReply()
    {
        var session = StartSession(singleExchange: false);
        session.Tell(new ClientCallProtocol.CallClient("a", [], ExpectsAnswer: true), TestActor);
        await AwaitAssertAsync(() => Assert.Single(Transport.Sent));

        Send(session, """{"jsonrpc":"2.0","id":"s:1","result":{"x":1}}""");
        var answer = await ExpectMsgAsync<ClientCallProtocol.ClientCallAnswer>();
        Assert.Equal(ClientCallOutcome.Result, answer.Outcome);
        Assert.Equal("""{"x":1}""", System.Text.Encoding.UTF8.GetString(answer.Payload));

        Send(session, """[{"jsonrpc":"2.0","id":"s:7","result":1},{"jsonrpc":"2.0","id":"s:8","error":{"code":1,"message":"m"}}]""");
        Send(session, """{"jsonrpc":"2.0","id":"s:9","result":1}""");
        await AwaitAssertAsync(() => Assert.Equal(0, Transport.InFlight));
        Assert.Single(Transport.Sent); // Only the request the session wrote; no response was answered.
    }

    [Fact]
    public async Task Notification_Queued_SentAndNotHeld()
    {
        var session = StartSession(singleExchange: false, new RpcLimitsOptions { MaxClientCallsInFlight = 1 });
        session.Tell(new ClientCallProtocol.CallClient("tick", "{\"n\":1}"u8.ToArray(), ExpectsAnswer: false), TestActor);
        Assert.Equal(ClientCallOutcome.Sent, (await ExpectMsgAsync<ClientCallProtocol.ClientCallAnswer>()).Outcome);
        JsonAssert.Equivalent("""{"jsonrpc":"2.0","method":"tick","params":{"n":1}}""", Assert.Single(Transport.Sent));

        // Notifications take no place of MaxClientCallsInFlight: a call still goes out.
        session.Tell(new ClientCallProtocol.CallClient("a", [], ExpectsAnswer: true), TestActor);
        await AwaitAssertAsync(() => Assert.Equal(2, Transport.Sent.Count));
        await ExpectNoMsgAsync(TestTimeouts.Short);
    }
}
