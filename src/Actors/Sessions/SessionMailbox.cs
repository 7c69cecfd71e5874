using Akka.Actor;
using Akka.Configuration;
using Akka.Dispatch;
using Akka.Dispatch.MessageQueues;

namespace ActorRpc.Actors.Sessions;

/// <summary>
/// The session actor's mailbox (<see cref="Id"/>): unbounded like Akka's default, but holding no
/// array while it has never had a message (see <see cref="SessionMessageQueue"/>). Akka's default
/// queue starts with a 32-slot segment, about 1 KB per actor, which at 10,000 mostly idle
/// connections per node is 10 MB of empty slots (issue #5).
/// </summary>
internal sealed class SessionMailbox(Settings settings, Config config) : MailboxType(settings, config), IProducesMessageQueue<SessionMessageQueue>
{
    /// <summary>The mailbox's config path, for <see cref="Props.WithMailbox"/>.</summary>
    public const string Id = "actorrpc.session-mailbox";

    /// <summary>Declares the mailbox; added to the actor system once, by <see cref="ActorRpcAkkaExtensions.WithActorRpc"/>.</summary>
    public static Config DefaultConfig { get; } =
        ConfigurationFactory.ParseString($"{Id}.mailbox-type = \"{typeof(SessionMailbox).FullName}, {typeof(SessionMailbox).Assembly.GetName().Name}\"");

    public override IMessageQueue Create(IActorRef owner, ActorSystem system) => new SessionMessageQueue();
}

/// <summary>
/// A FIFO of envelopes under a lock, allocated on the first message and grown as needed. A session's
/// producers are few (its connection's receive loop, a topic, a timer) and each holds the lock for
/// one array write, so a lock costs about what the default queue's lock-free segment does, without
/// the segment.
/// </summary>
internal sealed class SessionMessageQueue : IMessageQueue, IUnboundedMessageQueueSemantics
{
    private readonly Lock _lock = new();
    private Queue<Envelope>? _queue;
    private int _count;

    public bool HasMessages => Volatile.Read(ref _count) > 0;

    public int Count => Volatile.Read(ref _count);

    public void Enqueue(IActorRef receiver, Envelope envelope)
    {
        lock (_lock)
        {
            (_queue ??= new Queue<Envelope>()).Enqueue(envelope);
            _count++;
        }
    }

    public bool TryDequeue(out Envelope envelope)
    {
        if (Volatile.Read(ref _count) == 0)
        {
            envelope = default;
            return false;
        }

        lock (_lock)
        {
            if (_queue is null)
            {
                envelope = default;
                return false;
            }

            if (!_queue.TryDequeue(out envelope))
            {
                return false;
            }

            _count--;
            return true;
        }
    }

    public void CleanUp(IActorRef owner, IMessageQueue deadletters)
    {
        while (TryDequeue(out var envelope))
        {
            deadletters.Enqueue(owner, envelope);
        }
    }
}
