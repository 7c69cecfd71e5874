using System.Text;
using ActorRpc.Actors.Sessions;

namespace ActorRpc.Tests.Sessions;

/// <summary>The calls-in-flight table and its pure rules (deadlines, which call a cancel means), without actors.</summary>
public sealed class CallsInFlightSpec
{
    [Fact]
    public void TryComplete_Twice_OnlyTheFirstTakesTheCall()
    {
        var calls = new CallsInFlight();
        calls.Add(Call(1, "1"));

        Assert.True(calls.TryComplete(1, out var call));
        Assert.Equal(1, call.Sequence);
        Assert.False(calls.TryComplete(1, out _));
        Assert.Equal(0, calls.Count);
    }

    [Fact]
    public void TryComplete_AfterTryGiveUp_FindsTheCallGone()
    {
        var calls = new CallsInFlight();
        var given = Call(1, "1");
        calls.Add(given);

        Assert.True(calls.TryGiveUp(1, -32800, out _));
        Assert.False(calls.TryComplete(1, out _)); // the handler's late answer is dropped
        Assert.False(calls.TryGiveUp(1, -32001, out _));
        SpinWait.SpinUntil(() => given.Cancellation.IsCancellationRequested, TimeSpan.FromSeconds(5));
        Assert.True(given.Cancellation.IsCancellationRequested);
    }

    [Fact]
    public void TryComplete_RecyclesTheTokenSourceForTheNextCall()
    {
        var calls = new CallsInFlight();
        var first = Call(1, "1", calls.RentToken());
        calls.Add(first);

        calls.TryComplete(1, out _);

        Assert.Same(first.Cancellation, calls.RentToken());
    }

    [Fact]
    public void TryGiveUp_NeverRecyclesTheCancelledTokenSource()
    {
        var calls = new CallsInFlight();
        var first = Call(1, "1", calls.RentToken());
        calls.Add(first);

        calls.TryGiveUp(1, -32001, out _);

        Assert.NotSame(first.Cancellation, calls.RentToken()); // its handler may still hold it
    }

    [Fact]
    public void AbandonAll_TakesEveryCallOutAndCancelsThem()
    {
        var calls = new CallsInFlight();
        calls.Add(Call(1, "1"));
        calls.Add(Call(2, ""));

        var abandoned = calls.AbandonAll();

        Assert.Equal([1L, 2L], abandoned.Select(c => c.Sequence).Order());
        Assert.Equal(0, calls.Count);
        Assert.False(calls.TryComplete(1, out _));
        Assert.True(SpinWait.SpinUntil(() => abandoned.All(c => c.Cancellation.IsCancellationRequested), TimeSpan.FromSeconds(5)));
    }

    [Fact]
    public void PastDeadline_SomeExpired_ReturnsThoseAtOrBeforeNow()
    {
        PendingCall[] calls = [Call(1, "1", deadline: 100), Call(2, "2", deadline: 101), Call(3, "", deadline: 50), Call(4, "4", deadline: long.MaxValue)];

        var expired = CallsInFlight.PastDeadline(calls, now: 100);

        Assert.Equal([1L, 3L], expired!.Select(c => c.Sequence));
    }

    [Fact]
    public void PastDeadline_NoneExpired_Null()
    {
        Assert.Null(CallsInFlight.PastDeadline([Call(1, "1", deadline: 200)], now: 100));
        Assert.Null(CallsInFlight.PastDeadline([], now: 100));
    }

    [Fact]
    public void OldestWithId_SameIdTwice_TheOldest()
    {
        PendingCall[] calls = [Call(5, "\"a\""), Call(2, "\"a\""), Call(1, "\"b\"")];

        Assert.Equal(2, CallsInFlight.OldestWithId(calls, Id("\"a\""))!.Sequence);
    }

    [Fact]
    public void OldestWithId_EscapedString_SameId()
    {
        PendingCall[] calls = [Call(3, "\"a\"")];

        Assert.Equal(3, CallsInFlight.OldestWithId(calls, Id("\"\\u0061\""))!.Sequence);
    }

    [Fact]
    public void OldestWithId_NumberVersusString_NotTheSame()
    {
        PendingCall[] calls = [Call(1, "1")];

        Assert.Null(CallsInFlight.OldestWithId(calls, Id("\"1\"")));
        Assert.Equal(1, CallsInFlight.OldestWithId(calls, Id("1"))!.Sequence);
    }

    [Fact]
    public void OldestWithId_NotificationsAndUnknownIds_Null()
    {
        PendingCall[] calls = [Call(1, ""), Call(2, "7")];

        Assert.Null(CallsInFlight.OldestWithId(calls, Id("")));
        Assert.Null(CallsInFlight.OldestWithId(calls, Id("8")));
    }

    private static ReadOnlySpan<byte> Id(string json) => Encoding.UTF8.GetBytes(json);

    // id "" is a notification.
    private static PendingCall Call(long sequence, string id, CancellationTokenSource? token = null, long deadline = long.MaxValue) =>
        new(sequence, Encoding.UTF8.GetBytes(id), Batch: null, Router: null, token ?? new CancellationTokenSource(), deadline, Span: null);
}
