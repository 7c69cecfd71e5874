using ActorRpc.Actors.Routing;

namespace ActorRpc.Tests.Routing;

/// <summary>The per-method rate limit on handler-fault tracebacks, on a clock the test moves.</summary>
public sealed class FaultLogThrottleSpec
{
    private long _now = 1_000;

    [Fact]
    public void ShouldLog_FaultsWithinTheWindow_FirstLoggedRestCountedAndSummarizedByTheNextLogged()
    {
        var throttle = new FaultLogThrottle(TimeSpan.FromSeconds(10), () => _now);

        Assert.True(throttle.ShouldLog("m", out var before));
        Assert.Equal(0, before);
        for (var i = 0; i < 5; i++)
        {
            _now += 1_000;
            Assert.False(throttle.ShouldLog("m", out _));
        }

        _now += 5_000; // 10 s after the logged one
        Assert.True(throttle.ShouldLog("m", out var suppressed));
        Assert.Equal(5, suppressed);
        Assert.False(throttle.ShouldLog("m", out _));
    }

    [Fact]
    public void ShouldLog_OtherMethod_HasItsOwnWindow()
    {
        var throttle = new FaultLogThrottle(TimeSpan.FromSeconds(10), () => _now);
        Assert.True(throttle.ShouldLog("a", out _));

        Assert.True(throttle.ShouldLog("b", out _));
        Assert.False(throttle.ShouldLog("a", out _));
    }
}
