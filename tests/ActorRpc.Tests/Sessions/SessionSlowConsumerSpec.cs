using System.Net.WebSockets;
using Akka.Actor;
using ActorRpc.Actors.Sessions;

namespace ActorRpc.Tests.Sessions;

/// <summary>What a session does with a topic notification its client has no room for (ActorRpc:Limits:SlowConsumerPolicy).</summary>
public sealed class SessionSlowConsumerSpec : SessionSpecBase
{
    [Fact]
    public async Task Deliver_NotificationQueueFull_ClosesWithPolicyViolationAndStops()
    {
        var session = StartSession(singleExchange: false);
        Watch(session);
        Transport.Full = true;
        session.Tell(new SessionProtocol.Deliver("n"u8.ToArray()));

        await ExpectTerminatedAsync(session);
        Assert.Equal(SessionCloseReason.SlowConsumer, Transport.ClosedWith);
    }

    [Fact]
    public async Task Deliver_RefusedByTheNodeBudget_LogsThatExactSettingAndItsValue()
    {
        // Review of issue 12: the log guessed ("MaxOutboundQueue 1024, MaxOutboundBytes or MaxNodeBufferedBytes").
        var session = StartSession(singleExchange: false, new RpcLimitsOptions { MaxNodeBufferedBytes = 123_456 });
        Transport.Full = true;
        Transport.RefusedBy = OutboundLimit.MaxNodeBufferedBytes;

        await EventFilter.Warning(contains: "refused at ActorRpc:Limits:MaxNodeBufferedBytes 123456").ExpectOneAsync(
            () =>
            {
                session.Tell(new SessionProtocol.Deliver("n"u8.ToArray()));
                return Task.CompletedTask;
            });
        await AwaitAssertAsync(() => Assert.Equal(SessionCloseReason.SlowConsumer, Transport.ClosedWith));
    }

    [Fact]
    public async Task Deliver_NotificationQueueFullWithDropPolicy_DropsAndKeepsAnswering()
    {
        var session = StartSession(singleExchange: false, new RpcLimitsOptions { SlowConsumerPolicy = SlowConsumerPolicy.DropNotifications });
        Transport.Full = true;
        session.Tell(new SessionProtocol.Deliver("n"u8.ToArray()));
        Send(session, """{"jsonrpc":"2.0","method":"unknown","id":1}""");

        await AwaitAssertAsync(() => Assert.Single(Transport.Sent));
        Assert.Contains("-32601", Transport.Sent.Single(), StringComparison.Ordinal);
        Assert.Null(Transport.ClosedWith);
    }
}
