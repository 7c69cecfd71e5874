using System.Runtime.Serialization;
using System.Text;
using Akka.Serialization;
using ActorRpc.Tests.Infrastructure;

namespace ActorRpc.Tests.Cluster;

/// <summary>
/// Issue 12: Akka binds System.Object to Newtonsoft JSON with type names, so a message nobody chose
/// a format for would cross as type-name JSON, and a peer could send JSON naming any .NET type to
/// build. A node of ActorRpc's cluster does neither; Akka's messages and ours still cross (the
/// Cluster* specs).
/// </summary>
public sealed class ObjectSerializationSpec : IAsyncLifetime
{
    private RpcServer _node = null!;

    private Serialization Serialization => ClusterNodes.SystemOf(_node).Serialization;

    public async Task InitializeAsync() => _node = await RpcServer.StartAsync();

    public async Task DisposeAsync() => await _node.DisposeAsync();

    [Fact]
    public void FindSerializerFor_UnboundUserType_IsNotTypeNameJsonAndRefusesToSerialize()
    {
        var serializer = Serialization.FindSerializerFor(new UnboundMessage("hello"));

        Assert.IsNotType<NewtonSoftJsonSerializer>(serializer);
        var error = Assert.Throws<SerializationException>(() => serializer.ToBinary(new UnboundMessage("hello")));
        Assert.Contains(typeof(UnboundMessage).FullName!, error.Message);
    }

    [Fact]
    public void Deserialize_InboundJsonPayloadNamingAType_Refused()
    {
        // What a stranger on the remoting port would send: serializer id 1 and a $type of its choosing,
        // which Newtonsoft would build, setting the properties the payload names.
        var payload = Encoding.UTF8.GetBytes($$"""{"$type":"{{typeof(Gadget).AssemblyQualifiedName}}","Command":"rm -rf /"}""");

        var error = Assert.Throws<SerializationException>(() => Serialization.Deserialize(payload, 1, string.Empty));

        Assert.Contains("Refused", error.Message);
    }

    [Fact]
    public void FindSerializerFor_ActorRpcAndAkkaMessages_KeepTheirOwnSerializers()
    {
        Assert.Equal(41_701, Serialization.FindSerializerFor(new ActorRpc.Actors.Routing.RouterProtocol.InvocationCompleted(1, null)).Identifier);
        Assert.IsNotType<NewtonSoftJsonSerializer>(Serialization.FindSerializerFor(new Akka.Actor.Identify(1)));
        Assert.IsType<ByteArraySerializer>(Serialization.FindSerializerFor(new byte[] { 1 }));
    }

    [Fact]
    public void Start_JsonSerializerReplaced_NoOverrideWarning()
    {
        // Akka warns "Serializer with identifier [1] are being overriden ... Did you mean to do this?"
        // when a second serializer claims an id; the replacement is by configuration instead.
        Assert.DoesNotContain(_node.Logs.Entries, e => e.Message.Contains("are being overriden", StringComparison.Ordinal));
    }

    private sealed record UnboundMessage(string Text);

    /// <summary>Stands for any type with a dangerous setter; public, so Newtonsoft could build it.</summary>
    public sealed class Gadget
    {
        public string? Command { get; set; }
    }
}
