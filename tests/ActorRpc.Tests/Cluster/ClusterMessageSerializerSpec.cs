using System.Runtime.Serialization;
using System.Security.Claims;
using System.Text;
using Akka.Actor;
using ActorRpc.Actors.Cluster;
using ActorRpc.Actors.Routing;
using ActorRpc.Actors.Sessions;
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
        var previousVersion = bytes[..^3]; // two empty length-prefixed strings and the user's zero identity count
        var back = (RouterProtocol.RemoteInvoke)Serializer.FromBinary(previousVersion, Serializer.Manifest(message));
        Assert.Equal(3, back.Sequence);
        Assert.Equal(TestActor, back.ReplyTo);
        Assert.Null(back.TraceParent);
        Assert.Null(back.TraceState);
        Assert.Equal(default, back.ToInvoke(Services, CancellationToken.None).Call.TraceParent);
    }

    [Fact]
    public void RemoteInvoke_WithUserOfTwoIdentities_RoundTripKeepsNameRolesClaimsAndIssuers()
    {
        var user = new ClaimsPrincipal([
            new ClaimsIdentity(
                [
                    new Claim("unique_name", "alice", ClaimValueTypes.String, "https://issuer.test", "https://original.test"),
                    new Claim("role", "admin", ClaimValueTypes.String, "https://issuer.test"),
                    new Claim("role", "ops", ClaimValueTypes.String, "https://issuer.test"),
                    new Claim("permission", "orders.write", ClaimValueTypes.String, "https://issuer.test"),
                    new Claim("exp", "1893456000", ClaimValueTypes.Integer64, "https://issuer.test"),
                    new Claim("tenant", "é-ü \u2603", ClaimValueTypes.String, "https://issuer.test"),
                ],
                "AuthenticationTypes.Federation",
                "unique_name",
                "role"),
            new ClaimsIdentity([new Claim(ClaimTypes.Role, "auditor"), new Claim("amr", "mfa")], "Certificate"),
        ]);
        var message = new RouterProtocol.RemoteInvoke(5, "orders.place", "1"u8.ToArray(), "{}"u8.ToArray(), "s1", null, "websocket", TestActor, User: user);

        var back = (RouterProtocol.RemoteInvoke)RoundTrip(message);
        var handlerUser = back.ToInvoke(Services, CancellationToken.None).Call.Context.User;

        Assert.True(handlerUser.Identity?.IsAuthenticated);
        Assert.Equal("alice", handlerUser.Identity?.Name);
        Assert.True(handlerUser.IsInRole("admin"));
        Assert.True(handlerUser.IsInRole("ops"));
        Assert.True(handlerUser.IsInRole("auditor")); // the second identity's role claim type, the default one
        Assert.False(handlerUser.IsInRole("orders.write"));
        Assert.True(handlerUser.HasClaim("permission", "orders.write"));
        Assert.Equal(
            user.Identities.Select(i => (i.AuthenticationType, i.NameClaimType, i.RoleClaimType, i.IsAuthenticated)),
            handlerUser.Identities.Select(i => (i.AuthenticationType, i.NameClaimType, i.RoleClaimType, i.IsAuthenticated)));
        Assert.Equal(
            user.Claims.Select(c => (c.Type, c.Value, c.ValueType, c.Issuer, c.OriginalIssuer)),
            handlerUser.Claims.Select(c => (c.Type, c.Value, c.ValueType, c.Issuer, c.OriginalIssuer)));
        Assert.All(handlerUser.Identities, identity => Assert.All(identity.Claims, claim => Assert.Same(identity, claim.Subject)));
    }

    [Fact]
    public void RemoteInvoke_FromAnonymousCall_CarriesNoUserAndWritesNoIdentity()
    {
        var anonymous = RemoteInvokeFrom(new ClaimsPrincipal(new ClaimsIdentity([new Claim("name", "not signed in")])));
        Assert.Null(anonymous.User);

        var bytes = Serializer.ToBinary(anonymous);
        var back = (RouterProtocol.RemoteInvoke)Serializer.FromBinary(bytes, Serializer.Manifest(anonymous));
        Assert.Null(back.User);

        // No identity is one byte: without it the frame reads as the same message.
        Assert.Equal(0, bytes[^1]);
        Assert.Equal(back, (RouterProtocol.RemoteInvoke)Serializer.FromBinary(bytes[..^1], Serializer.Manifest(anonymous)), RemoteInvokeFields.Instance);
        var handlerUser = back.ToInvoke(Services, CancellationToken.None).Call.Context.User;
        Assert.False(handlerUser.Identity?.IsAuthenticated);
        Assert.Empty(handlerUser.Claims);
    }

    [Fact]
    public void RemoteInvoke_FromAuthenticatedCall_CarriesTheCallersUser()
    {
        var user = new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.Name, "bob")], "Bearer"));
        var invoke = RemoteInvokeFrom(user);
        Assert.Same(user, invoke.User);
        Assert.Equal("bob", ((RouterProtocol.RemoteInvoke)RoundTrip(invoke)).User?.Identity?.Name);
    }

    [Fact]
    public void RemoteInvoke_FromNodeWithoutUserField_ReadsAsAnonymous()
    {
        // What a node of the previous version writes: trace context, then nothing.
        var previousVersion = FrameWithUserBytes([]);
        var back = (RouterProtocol.RemoteInvoke)Serializer.FromBinary(previousVersion, "I");
        Assert.Equal(4, back.Sequence);
        Assert.Equal("00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01", back.TraceParent);
        Assert.Null(back.User);
        Assert.False(back.ToInvoke(Services, CancellationToken.None).Call.Context.User.Identity?.IsAuthenticated);
    }

    public static TheoryData<string, byte[], string> MalformedUsers => new()
    {
        { "huge identity count", [0xFF, 0xFF, 0xFF, 0xFF, 0x07], "count of 2147483647 items" },
        { "negative identity count", [0xFF, 0xFF, 0xFF, 0xFF, 0x0F], "count of 4294967295" },
        { "count over 32 bits", [0xFF, 0xFF, 0xFF, 0xFF, 0x1F], "count that does not fit 32 bits" },
        { "more identities than bytes left", [3, 0, 0, 0, 0, 0, 0, 0], "count of 3 items of at least 4 bytes each, but only 7 bytes are left" },
        { "huge claim count", [1, 0, 0, 0, 0xFF, 0xFF, 0xFF, 0xFF, 0x07], "count of 2147483647 items" },
        { "negative claim count", [1, 0, 0, 0, 0xFF, 0xFF, 0xFF, 0xFF, 0x0F], "count of 4294967295" },
        { "more claims than bytes left", [1, 0, 0, 0, 2, 0, 0, 0, 0, 0, 0, 0, 0], "count of 2 items of at least 5 bytes each, but only 8 bytes are left" },
        { "identity count truncated", [0x80], "count of 1 bytes, but only 0 are left" },
        { "more identities than the limit", [65, .. new byte[65 * 4]], "user of 65 identities, more than 64" },
        { "more claims than the limit", [1, 0, 0, 0, 0x81, 0x20, .. new byte[4097 * 5]], "user of more than 4096 claims" },
        { "claim string longer than the frame", [1, 0, 0, 0, 1, 0xFF, 0xFF, 0xFF, 0xFF, 0x07, 0, 0, 0, 0], "string of 2147483647 bytes" },
    };

    [Theory]
    [MemberData(nameof(MalformedUsers), DisableDiscoveryEnumeration = true)]
    public void FromBinary_RemoteInvokeWithMalformedUser_ThrowsSerializationExceptionWithoutAllocatingPerCount(string what, byte[] userBytes, string problem)
    {
        var frame = FrameWithUserBytes(userBytes);
        var serializer = Serializer;
        serializer.FromBinary(FrameWithUserBytes([0]), "I"); // resolves the reply path once: not part of the case

        var before = GC.GetAllocatedBytesForCurrentThread();
        var error = Assert.Throws<SerializationException>(() => serializer.FromBinary(frame, "I"));
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.True(allocated < 64 * 1024, $"{what}: allocated {allocated} bytes");
        Assert.True(error.Message.Contains(problem, StringComparison.Ordinal), $"{what}: {error.Message}");
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

    private RouterProtocol.RemoteInvoke RemoteInvokeFrom(ClaimsPrincipal user)
    {
        var context = new RpcContext("s1", null, "websocket", "m", "1"u8.ToArray(), Services) { User = user };
        var call = new RpcCall(1, "m", "1"u8.ToArray(), default, context, CancellationToken.None)
        {
            TraceParent = new System.Diagnostics.ActivityContext(
                System.Diagnostics.ActivityTraceId.CreateRandom(), System.Diagnostics.ActivitySpanId.CreateRandom(), System.Diagnostics.ActivityTraceFlags.Recorded),
        };
        return RouterProtocol.RemoteInvoke.From(new RouterProtocol.Invoke(call, TestActor));
    }

    // A RemoteInvoke frame up to its trace fields, followed by the given bytes where the user goes.
    private byte[] FrameWithUserBytes(byte[] userBytes)
    {
        var anonymous = Serializer.ToBinary(new RouterProtocol.RemoteInvoke(
            4, "m", "1"u8.ToArray(), default, "s1", null, "websocket", TestActor, "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"));
        return [.. anonymous[..^1], .. userBytes];
    }

    // Records compare ReadOnlyMemory by reference; these are the fields as they crossed.
    private sealed class RemoteInvokeFields : IEqualityComparer<RouterProtocol.RemoteInvoke>
    {
        public static RemoteInvokeFields Instance { get; } = new();

        public bool Equals(RouterProtocol.RemoteInvoke? x, RouterProtocol.RemoteInvoke? y) =>
            x is not null && y is not null
            && x with { Id = default, Params = default } == y with { Id = default, Params = default }
            && x.Id.Span.SequenceEqual(y.Id.Span)
            && x.Params.Span.SequenceEqual(y.Params.Span);

        public int GetHashCode(RouterProtocol.RemoteInvoke obj) => obj.Sequence.GetHashCode();
    }

    [Theory]
    [InlineData(true, "[1,\"é\"]")]
    [InlineData(false, "{\"a\":1}")]
    [InlineData(true, "")]
    public void CallClient_RoundTrip_Equal(bool expectsAnswer, string parameters)
    {
        var message = new ClientCallProtocol.CallClient("ui.confirm", Encoding.UTF8.GetBytes(parameters), expectsAnswer);
        var back = (ClientCallProtocol.CallClient)RoundTrip(message);
        Assert.Equal("ui.confirm", back.Method);
        Assert.Equal(message.Params, back.Params);
        Assert.Equal(expectsAnswer, back.ExpectsAnswer);
    }

    [Theory]
    [InlineData((byte)ClientCallOutcome.Result, "{\"x\":[1,2]}", "")]
    [InlineData((byte)ClientCallOutcome.Error, "{\"code\":-32042,\"message\":\"no\",\"data\":1}", "")]
    [InlineData((byte)ClientCallOutcome.Gone, "", "The connection of session x closed.")]
    [InlineData((byte)ClientCallOutcome.TimedOut, "", "late")]
    [InlineData((byte)ClientCallOutcome.NotSupported, "", "http")]
    public void ClientCallAnswer_RoundTrip_Equal(byte outcomeValue, string payload, string detail)
    {
        var outcome = (ClientCallOutcome)outcomeValue;
        var back = (ClientCallProtocol.ClientCallAnswer)RoundTrip(new ClientCallProtocol.ClientCallAnswer(outcome, Encoding.UTF8.GetBytes(payload), detail));
        Assert.Equal(outcome, back.Outcome);
        Assert.Equal(payload, Encoding.UTF8.GetString(back.Payload));
        Assert.Equal(detail, back.Detail);
    }

    [Fact]
    public void CancelClientCall_RoundTrip_TheInstance()
    {
        Assert.Same(ClientCallProtocol.CancelClientCall.Instance, RoundTrip(ClientCallProtocol.CancelClientCall.Instance));
    }

    [Fact]
    public void FromBinary_ClientCallAnswerWithUnknownOutcome_ThrowsSerializationException()
    {
        var frame = Serializer.ToBinary(new ClientCallProtocol.ClientCallAnswer(ClientCallOutcome.Result, "1"u8.ToArray(), string.Empty));
        frame[0] = 200; // An outcome no node defines must not read as a result.
        Assert.Throws<SerializationException>(() => Serializer.FromBinary(frame, "A"));
    }

    [Fact]
    public void FromBinary_CallClientWithHugeParamsLength_ThrowsSerializationExceptionWithoutAllocatingIt()
    {
        var frame = Serializer.ToBinary(new ClientCallProtocol.CallClient("m", "[1]"u8.ToArray(), ExpectsAnswer: true));
        System.Buffers.Binary.BinaryPrimitives.WriteInt32LittleEndian(frame.AsSpan(frame.Length - 7), int.MaxValue); // The params' length prefix.
        var before = GC.GetAllocatedBytesForCurrentThread();
        Assert.Throws<SerializationException>(() => Serializer.FromBinary(frame, "K"));
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < 64 * 1024);
    }

    [Fact]
    public void BoundTypes_ClientCallMessages_Included()
    {
        // Bound by WithActorRpc(): without it they would fall to Akka's refused object serializer between nodes.
        Assert.Contains(typeof(ClientCallProtocol.CallClient), ClusterMessageSerializer.BoundTypes);
        Assert.Contains(typeof(ClientCallProtocol.ClientCallAnswer), ClusterMessageSerializer.BoundTypes);
        Assert.Contains(typeof(ClientCallProtocol.CancelClientCall), ClusterMessageSerializer.BoundTypes);
    }

    private object RoundTrip(object message) => Serializer.FromBinary(Serializer.ToBinary(message), Serializer.Manifest(message));
}
