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
    public void EachDoor_GivesBackTheCallsHandlerPlaceExactlyOnce()
    {
        // Review of issue 12: the place was given back by each caller of the three doors, not by the doors.
        var handlers = new NodeHandlers(10);
        var calls = new CallsInFlight();
        for (var sequence = 1; sequence <= 4; sequence++)
        {
            Assert.True(handlers.TryAcquire());
            calls.Add(Call(sequence, $"{sequence}", handlers: handlers));
        }

        Assert.True(calls.TryComplete(1, out _));
        Assert.False(calls.TryComplete(1, out _));
        Assert.False(calls.TryGiveUp(1, -32800, out _));
        Assert.Equal(3, handlers.Count);

        Assert.True(calls.TryGiveUp(2, -32001, out _));
        Assert.False(calls.TryComplete(2, out _));
        Assert.Equal(2, handlers.Count);

        calls.AbandonAll();
        calls.AbandonAll();
        Assert.Equal(0, handlers.Count);
    }

    [Fact]
    public void GivenUpOrAbandoned_TaskHandlerStillRunning_KeepsItsPlaceUntilItReturns()
    {
        // Attacker review of issue 12: a handler that ignores its cancelled token must not free its place
        // (call, $/cancelRequest, repeat would run any number of handlers past MaxNodeHandlers).
        var handlers = new NodeHandlers(10);
        var calls = new CallsInFlight();
        Assert.True(handlers.TryAcquire());
        Assert.True(handlers.TryAcquire());
        var givenUp = Call(1, "1", handlers: handlers, handlerRunsHere: true);
        var abandoned = Call(2, "2", handlers: handlers, handlerRunsHere: true);
        calls.Add(givenUp);
        calls.Add(abandoned);

        Assert.True(calls.TryGiveUp(1, -32800, out _));
        calls.AbandonAll();
        Assert.Equal(2, handlers.Count);

        givenUp.HandlerReturned();
        Assert.Equal(1, handlers.Count);
        abandoned.HandlerReturned();
        Assert.Equal(0, handlers.Count);
    }

    [Fact]
    public void Completed_TaskHandler_PlaceBackOnceBothLetGo()
    {
        var handlers = new NodeHandlers(10);
        var calls = new CallsInFlight();
        Assert.True(handlers.TryAcquire());
        var call = Call(1, "1", handlers: handlers, handlerRunsHere: true);
        calls.Add(call);

        Assert.True(calls.TryComplete(1, out _)); // the handler's outcome reached the session first
        Assert.Equal(1, handlers.Count);
        call.HandlerReturned();
        Assert.Equal(0, handlers.Count);
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
    public void OldestWithId_SameIdTwice_TheOldestThenTheNext()
    {
        var calls = With(Call(5, "\"a\""), Call(2, "\"a\""), Call(1, "\"b\""), Call(7, "\"\\u0061\""));

        Assert.Equal(2, calls.OldestWithId(Id("\"a\""))!.Sequence);
        calls.TryGiveUp(2, -32800, out _);
        Assert.Equal(5, calls.OldestWithId(Id("\"a\""))!.Sequence);
        calls.TryComplete(5, out _);
        Assert.Equal(7, calls.OldestWithId(Id("\"a\""))!.Sequence);
        calls.TryComplete(7, out _);
        Assert.Null(calls.OldestWithId(Id("\"a\"")));
        Assert.Equal(1, calls.OldestWithId(Id("\"b\""))!.Sequence);
    }

    [Theory]
    [InlineData("\"a\"", "\"\\u0061\"")]
    [InlineData("\"\\u0061\"", "\"a\"")]
    [InlineData("\"\\/\\n\"", "\"/\\u000a\"")]
    [InlineData("\"\\uD83D\\uDE00\"", "\"😀\"")]
    public void OldestWithId_EscapedString_SameId(string added, string cancelled)
    {
        var calls = With(Call(3, added));

        Assert.Equal(3, calls.OldestWithId(Id(cancelled))!.Sequence);
    }

    [Fact]
    public void OldestWithId_NumberVersusString_NotTheSame()
    {
        var calls = With(Call(1, "1"), Call(2, "\"2\""));

        Assert.Null(calls.OldestWithId(Id("\"1\"")));
        Assert.Equal(1, calls.OldestWithId(Id("1"))!.Sequence);
        Assert.Null(calls.OldestWithId(Id("2")));
        Assert.Null(calls.OldestWithId(Id("1.0"))); // numbers compare as written, as before
    }

    [Fact]
    public void OldestWithId_NotificationsAndUnknownIds_Null()
    {
        var calls = With(Call(1, ""), Call(2, "7"), Call(3, "null"));

        Assert.Null(calls.OldestWithId(Id("")));
        Assert.Null(calls.OldestWithId(Id("8")));
        Assert.Null(calls.OldestWithId(Id("null")));
    }

    [Fact]
    public void OldestWithId_ThousandsOfCancelsWithThousandsInFlight_EachLooksAtOneCall()
    {
        // Issue #12: each cancel scanned and unescaped every call in flight, so a flood of cancels was quadratic.
        const int inFlight = 5000;
        var calls = new CallsInFlight();
        for (var i = 1; i <= inFlight; i++)
        {
            calls.Add(Call(i, $"\"id-\\u00{i % 100:D2}-{i}\""));
        }

        for (var i = 1; i <= 1000; i++)
        {
            // The same id, written with every character escaped.
            var value = $"id-{(char)Convert.ToInt32($"{i % 100:D2}", 16)}-{i}";
            var found = calls.OldestWithId(Id("\"" + string.Concat(value.Select(c => $"\\u{(int)c:x4}")) + "\""));
            Assert.Equal(i, found!.Sequence);
            Assert.Null(calls.OldestWithId(Id($"\"no-such-id-{i}\"")));
        }

        // The index is built once, at the first cancel (every call once), then each cancel finds its call directly.
        Assert.Equal(inFlight + 1000, calls.CallsExamined);

        calls.Add(Call(inFlight + 1, "\"late\""));
        Assert.Equal(inFlight + 1, calls.OldestWithId(Id("\"late\""))!.Sequence); // indexed as it came
    }

    [Fact]
    public void AbandonAll_ThenSameIdAgain_FindsOnlyTheNewCall()
    {
        var calls = With(Call(1, "9"));
        calls.AbandonAll();
        calls.Add(Call(2, "9"));

        Assert.Equal(2, calls.OldestWithId(Id("9"))!.Sequence);
    }

    private static CallsInFlight With(params PendingCall[] pending)
    {
        var calls = new CallsInFlight();
        foreach (var call in pending)
        {
            calls.Add(call);
        }

        return calls;
    }

    private static ReadOnlySpan<byte> Id(string json) => Encoding.UTF8.GetBytes(json);

    // id "" is a notification.
    private static PendingCall Call(
        long sequence, string id, CancellationTokenSource? token = null, long deadline = long.MaxValue, NodeHandlers? handlers = null, bool handlerRunsHere = false) =>
        new(sequence, Encoding.UTF8.GetBytes(id), Batch: null, Router: null, token ?? new CancellationTokenSource(), deadline, Span: null)
        {
            Handlers = handlers ?? NodeHandlers.CreateUnlimited(),
            HandlerRunsHere = handlerRunsHere,
        };
}
