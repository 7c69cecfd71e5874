using Akka.Actor;

namespace ActorRpc.DemoHost;

/// <summary>
/// Publishes the time to the <c>clock</c> topic about once a second: a server-side actor using the
/// notify API (<see cref="RpcTopics"/>), as any application actor would. Each tick is retained, so a new subscriber sees the
/// time at once.
/// </summary>
public sealed class ClockTickerActor : ReceiveActor, IWithTimers
{
    private long _tick;

    /// <summary>Creates the ticker.</summary>
    public ClockTickerActor(TimeSpan interval)
    {
        var publisher = RpcTopics.Get(Context.System);
        Receive<Tick>(_ => publisher.Publish(
            DemoMethods.ClockTopic,
            new ClockReading(DateTimeOffset.UtcNow, ++_tick),
            retain: true));
        Interval = interval;
    }

    /// <summary>Set by Akka.</summary>
    public ITimerScheduler Timers { get; set; } = null!;

    private TimeSpan Interval { get; }

    /// <summary>Props for a ticker publishing every <paramref name="interval"/>.</summary>
    public static Props Props(TimeSpan interval) =>
        Akka.Actor.Props.Create(() => new ClockTickerActor(interval));

    /// <inheritdoc />
    protected override void PreStart() => Timers.StartPeriodicTimer(nameof(Tick), Tick.Instance, Interval);

    /// <summary>One reading of the clock.</summary>
    /// <param name="Time">The server's UTC time.</param>
    /// <param name="Tick">A counter from 1, per node.</param>
    public sealed record ClockReading(DateTimeOffset Time, long Tick);

    private sealed class Tick : Akka.Event.IDeadLetterSuppression
    {
        public static Tick Instance { get; } = new();

        private Tick()
        {
        }
    }
}
