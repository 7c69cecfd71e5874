using System.Net.WebSockets;
using System.Text;
using ActorRpc.Gateway.Transport;
using ActorRpc.Tests.Infrastructure;

namespace ActorRpc.Tests.Gateway;

/// <summary>
/// The byte budgets of one connection and of the node, without Kestrel: the receive loop's gate
/// (MaxInFlightBytes, MaxNodeBufferedBytes) and the sender's queue (MaxOutboundBytes, MaxNodeBufferedBytes).
/// </summary>
public sealed class WebSocketByteBudgetSpec
{
    [Fact]
    public async Task Gate_BytesAtTheBudget_WaitsUntilReleased()
    {
        var node = new NodeBufferBudget(long.MaxValue);
        var gate = new InFlightGate(limit: 100, byteLimit: 1000, node);

        gate.Add(1, 600);
        Assert.True(gate.WaitForRoomAsync(CancellationToken.None).IsCompleted); // 600 < 1000: read on
        gate.Add(1, 600);
        var room = gate.WaitForRoomAsync(CancellationToken.None);
        Assert.False(room.IsCompleted);
        Assert.Equal(1200, node.Count);

        gate.Release(1, 600);
        await room.DefaultTimeout();
        gate.Release(1, 600);
        Assert.Equal(0, node.Count);
    }

    [Fact]
    public async Task Gate_EveryPlaceHeld_EachAwaitedAnswerIsRoomForOneMoreMessage()
    {
        var gate = new InFlightGate(limit: 2);
        gate.Add(2);
        var room = gate.WaitForRoomAsync(CancellationToken.None);
        Assert.False(room.IsCompleted);

        gate.AwaitAnswers(1); // a handler holding a place now waits for its client's answer
        await room.DefaultTimeout();
        gate.Add(1); // the answer
        Assert.False(gate.WaitForRoomAsync(CancellationToken.None).IsCompleted);

        gate.AwaitAnswers(-1); // answered: the room goes with it
        gate.Release(1);
        Assert.False(gate.WaitForRoomAsync(CancellationToken.None).IsCompleted);
        gate.Release(1);
        Assert.True(gate.WaitForRoomAsync(CancellationToken.None).IsCompleted);
    }

    [Fact]
    public void Gate_OneMessageLargerThanTheBudget_ReadOnWhenNothingElseIsInFlight()
    {
        var gate = new InFlightGate(limit: 100, byteLimit: 1000, new NodeBufferBudget(long.MaxValue));
        Assert.True(gate.WaitForRoomAsync(CancellationToken.None).IsCompleted);
        gate.Add(1, 5000);
        Assert.False(gate.WaitForRoomAsync(CancellationToken.None).IsCompleted);
        gate.Release(1, 5000);
        Assert.True(gate.WaitForRoomAsync(CancellationToken.None).IsCompleted);
    }

    [Fact]
    public async Task Gate_NodeOverItsBudget_ConnectionsHoldingSomethingWaitUntilAnotherReleases()
    {
        var node = new NodeBufferBudget(limit: 1000);
        var busy = new InFlightGate(limit: 100, byteLimit: 10_000, node);
        var working = new InFlightGate(limit: 100, byteLimit: 10_000, node);
        working.Add(1, 10);

        busy.Add(1, 1000);
        var room = working.WaitForRoomAsync(CancellationToken.None);
        Assert.False(room.IsCompleted); // far under its own budget, but the node is full

        busy.Release(1, 1000);
        await room.DefaultTimeout();
    }

    [Fact]
    public void Gate_NodeOverItsBudget_ConnectionHoldingNothingStillReads()
    {
        // One client filling the node's budget must not halt the others: each may still read one message at a time.
        var node = new NodeBufferBudget(limit: 1000);
        var hog = new InFlightGate(limit: 100, byteLimit: 10_000, node);
        var other = new InFlightGate(limit: 100, byteLimit: 10_000, node);

        hog.Add(2, 5000);
        Assert.True(other.WaitForRoomAsync(CancellationToken.None).IsCompleted);
        other.Add(1, 100);
        Assert.False(other.WaitForRoomAsync(CancellationToken.None).IsCompleted);
    }

    [Fact]
    public async Task Gate_RepliesNotYetWritten_CountAgainstTheByteBudget()
    {
        // Small requests whose large answers the client never reads: the answers stop the reading.
        var socket = new FakeWebSocket { NextSends = FakeWebSocket.SendBehaviour.Pend };
        var node = new NodeBufferBudget(long.MaxValue);
        var gate = new InFlightGate(limit: 100, byteLimit: 1000, node);
        var sender = new WebSocketSender(socket, gate, 1000, maxQueuedBytes: 100_000, node, CancellationToken.None);
        gate.Add(2, 20);
        Assert.True(gate.WaitForRoomAsync(CancellationToken.None).IsCompleted);

        sender.Reply(new byte[1500], requests: 1, messageBytes: 10);
        var room = gate.WaitForRoomAsync(CancellationToken.None);
        Assert.False(room.IsCompleted);

        await socket.PendingStarted.DefaultTimeout();
        socket.ReleasePending(); // the client reads its answer
        await room.DefaultTimeout();
    }

    [Fact]
    public async Task Gate_OpenedForTheClose_StopsWaitingForTheNode()
    {
        var node = new NodeBufferBudget(limit: 1000);
        node.Add(1000);
        var gate = new InFlightGate(limit: 100, byteLimit: 10_000, node);
        gate.Add(1, 10);
        var room = gate.WaitForRoomAsync(CancellationToken.None);
        Assert.False(room.IsCompleted);

        gate.Open();
        await room.DefaultTimeout();
    }

    [Fact]
    public void Gate_Ended_GivesTheNodeBackWhatIsNeverSettled()
    {
        var node = new NodeBufferBudget(long.MaxValue);
        var gate = new InFlightGate(limit: 100, byteLimit: 10_000, node);
        gate.Add(2, 700);

        gate.End();
        Assert.Equal(0, node.Count);
        gate.Release(2, 700); // a late settlement: the node is not paid twice
        Assert.Equal(0, node.Count);
    }

    [Fact]
    public void Sender_NotificationsPastMaxOutboundBytes_RefusedNamingTheSetting()
    {
        var socket = new FakeWebSocket { NextSends = FakeWebSocket.SendBehaviour.Pend };
        var node = new NodeBufferBudget(long.MaxValue);
        var sender = new WebSocketSender(socket, new InFlightGate(1), maxQueuedNotifications: 1000, maxQueuedBytes: 1000, node, CancellationToken.None);

        Assert.True(sender.TryNotify(new byte[600])); // being written: still counted
        Assert.True(sender.TryNotify(new byte[300]));
        Assert.False(sender.TryNotify(new byte[300]));
        Assert.Equal("ActorRpc:Limits:MaxOutboundBytes", sender.RefusedBy);
        Assert.Equal(900, sender.QueuedBytes);
        Assert.Equal(900, node.Count);

        sender.Reply(new byte[500], requests: 0); // replies count, but are never refused
        Assert.Equal(1400, sender.QueuedBytes);
    }

    [Fact]
    public void Sender_OneNotificationLargerThanTheBudget_TakenWhenNothingIsQueued()
    {
        var socket = new FakeWebSocket { NextSends = FakeWebSocket.SendBehaviour.Pend };
        var sender = new WebSocketSender(socket, new InFlightGate(1), 1000, maxQueuedBytes: 1000, new NodeBufferBudget(long.MaxValue), CancellationToken.None);

        Assert.True(sender.TryNotify(new byte[5000]));
        Assert.False(sender.TryNotify(new byte[1]));
    }

    [Fact]
    public async Task Sender_NodeFull_NotificationToASubscriberBehindRefusedNamingTheNodeSetting()
    {
        var node = new NodeBufferBudget(limit: 1000);
        var socket = new FakeWebSocket { NextSends = FakeWebSocket.SendBehaviour.Pend };
        var sender = new WebSocketSender(socket, new InFlightGate(1), 1000, maxQueuedBytes: 10_000, node, CancellationToken.None);
        node.Add(800); // another connection's

        Assert.True(sender.TryNotify(new byte[100])); // its queue was empty: a reader is never refused for the node
        Assert.False(sender.TryNotify(new byte[200]));
        Assert.Equal("ActorRpc:Limits:MaxNodeBufferedBytes", sender.RefusedBy);
        Assert.True(sender.TryNotify(new byte[100]));
        await socket.PendingStarted.DefaultTimeout();
        socket.NextSends = FakeWebSocket.SendBehaviour.Complete;
        socket.ReleasePending();
        await Eventually.AssertAsync(() => Assert.Equal(0, sender.QueuedBytes));
        Assert.Equal(800, node.Count); // written: released
    }

    [Fact]
    public void Sender_NodeFull_NotificationToAnEmptyQueueTaken()
    {
        var node = new NodeBufferBudget(limit: 1000);
        node.Add(5000); // another client filled the node
        var sender = new WebSocketSender(new FakeWebSocket { NextSends = FakeWebSocket.SendBehaviour.Pend }, new InFlightGate(1), 1000, 10_000, node, CancellationToken.None);

        Assert.True(sender.TryNotify(new byte[100]));
        Assert.Equal(100, sender.QueuedBytes);
    }

    [Fact]
    public async Task Sender_ClosedWithFramesQueued_EveryByteReleased()
    {
        var socket = new FakeWebSocket { NextSends = FakeWebSocket.SendBehaviour.Pend };
        var node = new NodeBufferBudget(long.MaxValue);
        var inFlight = new InFlightGate(100, 10_000, node);
        var sender = new WebSocketSender(socket, inFlight, 1000, 10_000, node, CancellationToken.None);
        inFlight.Add(1, 50);
        sender.TryNotify(Encoding.UTF8.GetBytes("n0"));
        sender.TryNotify(Encoding.UTF8.GetBytes("n1"));
        sender.Reply(Encoding.UTF8.GetBytes("r"), requests: 1, messageBytes: 50);
        await socket.PendingStarted.DefaultTimeout();

        Assert.True(sender.TryClose(WebSocketCloseStatus.NormalClosure, "bye"));
        socket.ReleasePending();
        await sender.WhenStoppedAsync().DefaultTimeout();

        Assert.Equal(0, sender.QueuedBytes);
        Assert.Equal(0, inFlight.Bytes);
        Assert.Equal(0, node.Count);
    }
}
