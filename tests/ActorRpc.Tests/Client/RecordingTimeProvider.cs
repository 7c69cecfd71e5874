using System.Threading.Channels;
using Microsoft.Extensions.Time.Testing;

namespace ActorRpc.Tests.Client;

/// <summary>
/// A <see cref="FakeTimeProvider"/> that also reports each timer's due time as it is made, so a test
/// can wait for "the client scheduled a delay" (an event) and read how long, instead of sleeping.
/// </summary>
public sealed class RecordingTimeProvider : TimeProvider
{
    private readonly FakeTimeProvider _fake = new();
    private readonly Channel<TimeSpan> _timers = Channel.CreateUnbounded<TimeSpan>();

    /// <summary>The next timer's due time (made since the last read).</summary>
    public Task<TimeSpan> NextTimerAsync() => _timers.Reader.ReadAsync().AsTask();

    /// <summary>Moves the fake clock on, firing the timers that fall due.</summary>
    public void Advance(TimeSpan by) => _fake.Advance(by);

    public override DateTimeOffset GetUtcNow() => _fake.GetUtcNow();

    public override long GetTimestamp() => _fake.GetTimestamp();

    public override long TimestampFrequency => _fake.TimestampFrequency;

    public override TimeZoneInfo LocalTimeZone => _fake.LocalTimeZone;

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        // Made first, reported after: a test that reads the due time and advances the clock at once
        // must find the timer there already, or it would be made after the advance and never fire.
        var timer = _fake.CreateTimer(callback, state, dueTime, period);
        _timers.Writer.TryWrite(dueTime);
        return timer;
    }
}
