using System.Text;
using System.Text.Json;
using ActorRpc.Actors.Sessions;

namespace ActorRpc.Tests.Sessions;

/// <summary>
/// A batch's array is built once, in one pooled buffer, as responses arrive (not collected and then
/// copied into a second array), and stops growing as soon as it would pass MaxResponseSize.
/// </summary>
public sealed class BatchFrameBuilderSpec
{
    [Fact]
    public void Append_ThreeResponses_OneValidArrayInAppendOrder()
    {
        var builder = new BatchFrameBuilder(maxResponseSize: 1024);
        builder.Append(Encoding.UTF8.GetBytes("""{"id":2}"""));
        builder.Append(Encoding.UTF8.GetBytes("""{"id":1}"""));
        builder.Append(Encoding.UTF8.GetBytes("""{"id":3}"""));

        Assert.Equal(3, builder.Count);
        var frame = builder.TakeFrame();
        Assert.True(frame.IsPooled);
        Assert.Equal("""[{"id":2},{"id":1},{"id":3}]""", Encoding.UTF8.GetString(frame.Memory.Span));
        Assert.Throws<InvalidOperationException>(() => builder.TakeFrame()); // taken once
        frame.Return();
    }

    [Fact]
    public void Append_LargeBatch_AllocatesFarLessThanTheFrame()
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
    public void Append_PastMaxResponseSize_TooLargeCountsOnAndHasNoFrame()
    {
        var builder = new BatchFrameBuilder(maxResponseSize: 30);
        builder.Append(Encoding.UTF8.GetBytes("""{"id":1}""")); // [{"id":1}] : 10 bytes
        builder.Append(Encoding.UTF8.GetBytes("""{"id":2}""")); // 19
        Assert.Equal(19, builder.Length);
        Assert.False(builder.IsTooLarge);

        builder.Append(Encoding.UTF8.GetBytes("""{"id":333}""")); // 30 fits exactly
        Assert.False(builder.IsTooLarge);
        builder.Append(Encoding.UTF8.GetBytes("1")); // 32 > 30
        Assert.True(builder.IsTooLarge);
        builder.Append(Encoding.UTF8.GetBytes("2"));

        Assert.True(builder.IsTooLarge);
        Assert.Equal(5, builder.Count);
        Assert.Throws<InvalidOperationException>(() => builder.TakeFrame());
    }

    private static ResponseFrame Build(byte[][] responses)
    {
        var builder = new BatchFrameBuilder(maxResponseSize: 64 * 1024 * 1024);
        foreach (var response in responses)
        {
            builder.Append(response);
        }

        return builder.TakeFrame();
    }
}
