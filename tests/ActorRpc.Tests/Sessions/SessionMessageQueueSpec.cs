using Akka.Actor;
using Akka.Dispatch.MessageQueues;
using ActorRpc.Actors.Sessions;

namespace ActorRpc.Tests.Sessions;

/// <summary>The session mailbox's queue: FIFO, counted, drained to dead letters at the end, and usable by a real actor.</summary>
public sealed class SessionMessageQueueSpec : Akka.TestKit.Xunit2.TestKit
{
    public SessionMessageQueueSpec()
        : base(SessionMailbox.DefaultConfig)
    {
    }

    [Fact]
    public void EnqueueDequeue_FifoAndCounted()
    {
        var queue = new SessionMessageQueue();
        Assert.False(queue.HasMessages);
        Assert.False(queue.TryDequeue(out _));

        for (var i = 0; i < 100; i++)
        {
            queue.Enqueue(ActorRefs.Nobody, new Envelope(i, ActorRefs.NoSender));
        }

        Assert.Equal(100, queue.Count);
        for (var i = 0; i < 100; i++)
        {
            Assert.True(queue.TryDequeue(out var envelope));
            Assert.Equal(i, envelope.Message);
        }

        Assert.False(queue.HasMessages);
    }

    [Fact]
    public void CleanUp_MovesWhatIsLeftToDeadLetters()
    {
        var queue = new SessionMessageQueue();
        queue.Enqueue(ActorRefs.Nobody, new Envelope("a", ActorRefs.NoSender));
        queue.Enqueue(ActorRefs.Nobody, new Envelope("b", ActorRefs.NoSender));
        var deadLetters = new UnboundedMessageQueue();

        queue.CleanUp(ActorRefs.Nobody, deadLetters);

        Assert.Equal(0, queue.Count);
        Assert.Equal(2, deadLetters.Count);
    }

    [Fact]
    public void ActorOnTheMailbox_ReceivesEveryMessageInOrder()
    {
        var echo = Sys.ActorOf(Props.Create(() => new Forwarder(TestActor)).WithMailbox(SessionMailbox.Id));
        for (var i = 0; i < 1000; i++)
        {
            echo.Tell(i);
        }

        for (var i = 0; i < 1000; i++)
        {
            ExpectMsg(i);
        }
    }

    private sealed class Forwarder : ReceiveActor
    {
        public Forwarder(IActorRef to) => ReceiveAny(to.Tell);
    }
}
