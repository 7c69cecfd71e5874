using System.Text;
using System.Text.Json;
using ActorRpc.Actors.Sessions;

namespace ActorRpc.Tests.Sessions;

/// <summary>
/// A batch's array is built once, in one pooled buffer, as responses arrive (not collected and then
/// copied into a second array), and stops growing as soon as it would pass MaxResponseSize.
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
    public void BuildingTheArray_LargeBatch_AllocatesFarLessThanTheFrame()
    {
        // 1,000 responses of 10 KB: a 10 MB array. Joining them afterwards allocated the array a second
        // time (10 MB); appending them to a pooled buffer as they arrive allocates next to nothing once
        // the pool holds buffers of these sizes (the first run fills it).
        var responses = Enumerable.Range(0, 1000).Select(i => Encoding.UTF8.GetBytes($$"""{"id":{{i}},"r":"{{new string('x', 10 * 1024)}}"}""")).ToArray();
        var frameLength = responses.Sum(r => r.Length + 1) + 1;
        Build(responses).Return();

        var before = GC.GetAllocatedBytesForCurrentThread();
        var frame = Build(responses);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(frameLength, frame.Length);
        Assert.InRange(allocated, 0, frameLength / 10);
        using (var document = JsonDocument.Parse(frame.Memory))
        {
            Assert.Equal(1000, document.RootElement.GetArrayLength());
        }

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

    private static ResponseFrame Build(byte[][] responses)
    {
        var batch = new BatchResponse(maxResponseSize: 64 * 1024 * 1024, messageBytes: 0);
        foreach (var response in responses)
        {
            batch.AddImmediate(response);
        }

        batch.Seal();
        return batch.TakeFrame();
    }
}
