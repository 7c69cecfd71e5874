using System.Text;
using Akka.Actor;
using ActorRpc.Actors.Cluster;
using ActorRpc.Actors.Routing;
using ActorRpc.Actors.Topics;
using Microsoft.Extensions.DependencyInjection;

namespace ActorRpc.Tests.Cluster;

/// <summary>Everything that crosses nodes survives a round trip through our serializer, byte for byte.</summary>
public sealed class ClusterMessageSerializerSpec : Akka.TestKit.Xunit2.TestKit
{
    private static readonly IServiceProvider Services = new ServiceCollection().BuildServiceProvider();

    private ClusterMessageSerializer Serializer => new((ExtendedActorSystem)Sys);

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void TopicNotification_RoundTrip_Equal(bool retain)
    {
        var message = new TopicProtocol.TopicNotification("orders.é", """{"jsonrpc":"2.0","method":"orders.é","params":[1]}"""u8.ToArray(), retain);
        var back = (TopicProtocol.TopicNotification)RoundTrip(message);
        Assert.Equal(message.Topic, back.Topic);
        Assert.Equal(message.Retain, back.Retain);
        Assert.Equal(message.Frame, back.Frame);
    }

    [Fact]
    public void CancelInvocation_RoundTrip_SameSequenceAndReplyTo()
    {
        var back = (RouterProtocol.CancelInvocation)RoundTrip(new RouterProtocol.CancelInvocation(long.MaxValue, TestActor));
        Assert.Equal(long.MaxValue, back.Sequence);
        Assert.Equal(TestActor, back.ReplyTo);
    }

    [Fact]
    public void RemoteInvoke_RoundTrip_EqualWithResolvableReplyTo()
    {
        var message = new RouterProtocol.RemoteInvoke(42, "math.add", "9007199254740993"u8.ToArray(), "[1,2]"u8.ToArray(), "s1", null, "websocket", TestActor);
        var back = (RouterProtocol.RemoteInvoke)RoundTrip(message);
        Assert.Equal(42, back.Sequence);
        Assert.Equal("math.add", back.Method);
        Assert.Equal("9007199254740993", Encoding.UTF8.GetString(back.Id.Span));
        Assert.Equal("[1,2]", Encoding.UTF8.GetString(back.Params.Span));
        Assert.Equal("s1", back.SessionId);
        Assert.Null(back.RemoteAddress);
        Assert.Equal(TestActor, back.ReplyTo);
        Assert.Null(back.TraceParent);
    }

    [Fact]
    public void RemoteInvoke_WithTraceContext_RoundTripKeepsTraceParentAndState()
    {
        const string traceParent = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";
        var message = new RouterProtocol.RemoteInvoke(
            1, "m", "1"u8.ToArray(), default, "s1", "127.0.0.1:1", "http", TestActor, traceParent, "vendor=value");
        var back = (RouterProtocol.RemoteInvoke)RoundTrip(message);
        Assert.Equal(traceParent, back.TraceParent);
        Assert.Equal("vendor=value", back.TraceState);

        var call = back.ToInvoke(Services, CancellationToken.None).Call;
        Assert.Equal("0af7651916cd43dd8448eb211c80319c", call.TraceParent.TraceId.ToHexString());
        Assert.Equal("b7ad6b7169203331", call.TraceParent.SpanId.ToHexString());
        Assert.True(call.TraceParent.IsRemote);
    }

    [Fact]
    public void RemoteInvoke_FromNodeWithoutTraceFields_ReadsAsUntraced()
    {
        // What a node of the previous version writes: the same fields, without the trailing trace context.
        var message = new RouterProtocol.RemoteInvoke(3, "m", "1"u8.ToArray(), "[]"u8.ToArray(), "s1", null, "websocket", TestActor);
        var bytes = Serializer.ToBinary(message);
        var previousVersion = bytes[..^2]; // two empty length-prefixed strings
        var back = (RouterProtocol.RemoteInvoke)Serializer.FromBinary(previousVersion, Serializer.Manifest(message));
        Assert.Equal(3, back.Sequence);
        Assert.Equal(TestActor, back.ReplyTo);
        Assert.Null(back.TraceParent);
        Assert.Null(back.TraceState);
        Assert.Equal(default, back.ToInvoke(Services, CancellationToken.None).Call.TraceParent);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("""{"jsonrpc":"2.0","id":1,"result":5}""")]
    public void InvocationCompleted_RoundTrip_KeepsNullFrameDistinct(string? frame)
    {
        var message = new RouterProtocol.InvocationCompleted(7, frame is null ? null : Encoding.UTF8.GetBytes(frame));
        var back = (RouterProtocol.InvocationCompleted)RoundTrip(message);
        Assert.Equal(7, back.Sequence);
        Assert.Equal(frame, back.Frame is null ? null : Encoding.UTF8.GetString(back.Frame));
    }

    [Fact]
    public void FromBinary_TinyFrameClaimingTwoGigabyteArray_ThrowsSerializationExceptionWithoutAllocatingIt()
    {
        // Issue 12: a 10-byte notification whose frame length says int.MaxValue.
        byte[] frame = [0, 1, (byte)'t', 0xFF, 0xFF, 0xFF, 0x7F, 1, 2, 3];
        var before = GC.GetAllocatedBytesForCurrentThread();
        var error = Assert.Throws<System.Runtime.Serialization.SerializationException>(() => Serializer.FromBinary(frame, "T"));
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < 64 * 1024);
        Assert.Contains("byte array of 2147483647 bytes, but only 3 are left", error.Message);
    }

    private object RoundTrip(object message) => Serializer.FromBinary(Serializer.ToBinary(message), Serializer.Manifest(message));
}
