using System.Text;
using ActorRpc.Actors.Sessions;

namespace ActorRpc.Tests.Sessions;

/// <summary>
/// A batch's bookkeeping: what it still awaits, when it completes, and when its message's bytes
/// settle. Building the array itself: <see cref="BatchFrameBuilderSpec"/>.
/// </summary>
public sealed class BatchResponseSpec
{
    [Fact]
    public void Responses_InCompletionOrder_OneValidArray()
    {
        var batch = new BatchResponse(maxResponseSize: 1024, messageBytes: 10);
        batch.Expect();
        batch.AddImmediate(Encoding.UTF8.GetBytes("""{"id":1}"""));
        Assert.True(batch.Seal() is false);
        Assert.True(batch.Complete(Encoding.UTF8.GetBytes("""{"id":2}""")));

        var frame = batch.TakeFrame();
        Assert.True(frame.IsPooled);
        Assert.Equal("""[{"id":1},{"id":2}]""", Encoding.UTF8.GetString(frame.Memory.Span));
        Assert.Equal(2, batch.Requests);
        frame.Return();
    }

    [Fact]
    public void Responses_PastMaxResponseSize_TooLargeAndStopsCollecting()
    {
        var batch = new BatchResponse(maxResponseSize: 2048, messageBytes: 0);
        var response = Encoding.UTF8.GetBytes($$"""{"r":"{{new string('x', 600)}}"}""");
        for (var i = 0; i < 3; i++)
        {
            batch.AddImmediate(response);
        }

        Assert.False(batch.IsTooLarge);
        batch.AddImmediate(response); // 4 x ~610 bytes > 2048
        Assert.True(batch.IsTooLarge);
        batch.AddImmediate(response);
        Assert.True(batch.IsTooLarge);
        Assert.True(batch.HasResponses);
        Assert.Equal(5, batch.Requests);
        Assert.True(batch.Seal());
        Assert.Throws<InvalidOperationException>(() => batch.TakeFrame());
    }

    [Fact]
    public void MessageBytes_SettleOnceWithTheLastOfReplyAndNotifications()
    {
        var batch = new BatchResponse(maxResponseSize: 1024, messageBytes: 100);
        batch.ExpectNotification();
        batch.ExpectNotification();
        Assert.Equal(0, batch.NotificationFinished()); // not answered yet
        Assert.Equal(0, batch.Answered()); // a notification still runs
        Assert.Equal(100, batch.NotificationFinished());

        var answeredLast = new BatchResponse(maxResponseSize: 1024, messageBytes: 7);
        answeredLast.ExpectNotification();
        Assert.Equal(0, answeredLast.NotificationFinished());
        Assert.Equal(7, answeredLast.Answered());
    }
}
