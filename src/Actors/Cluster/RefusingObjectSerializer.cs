using System.Runtime.Serialization;
using Akka.Actor;
using Akka.Serialization;

namespace ActorRpc.Actors.Cluster;

/// <summary>
/// Takes the place of Akka's default serializer for <see cref="object"/>, Newtonsoft JSON with type
/// names on (serializer id 1), in both directions: a message of a type no serializer is bound to is
/// not sent, and a JSON payload from another node is not read.
/// </summary>
/// <remarks>
/// Only ActorRpc's messages (<see cref="ClusterMessageSerializer"/>) and Akka's own system messages
/// (their protobuf serializers) need to cross the cluster. A type-name JSON reader on the remoting
/// port lets whoever reaches it name the .NET type to build, with the properties to set, which is
/// the classic deserialization gadget; a message that silently fell back to it would also be
/// reflected on the wire with no one having chosen a format for it. Keeping the id means a peer's
/// id-1 payload lands here and is refused, rather than reaching a Newtonsoft reader.
/// </remarks>
internal sealed class RefusingObjectSerializer(ExtendedActorSystem system) : Serializer(system)
{
    /// <summary>
    /// Puts this serializer in place of Akka's under the alias <c>json</c>, which Akka's default
    /// <c>serialization-bindings</c> maps <c>System.Object</c> to. Replacing the class, rather than
    /// registering a second serializer with id 1, means Newtonsoft's is never built (and Akka does
    /// not warn at every start that id 1 was overridden).
    /// </summary>
    public static readonly string Config =
        $"akka.actor.serializers.json = \"{typeof(RefusingObjectSerializer).FullName}, {typeof(RefusingObjectSerializer).Assembly.GetName().Name}\"";

    /// <summary>The constructor Akka calls for a serializer with settings (<c>akka.actor.serialization-settings.json</c> exists by default).</summary>
    public RefusingObjectSerializer(ExtendedActorSystem system, Akka.Configuration.Config settings)
        : this(system)
    {
    }

    /// <summary>Akka's Newtonsoft JSON serializer's id, taken over so inbound payloads for it are refused here.</summary>
    public override int Identifier => 1;

    public override bool IncludeManifest => false;

    public override byte[] ToBinary(object obj) => throw new SerializationException(
        $"No serializer is bound to {obj?.GetType().FullName ?? "null"}, so it cannot cross the cluster: ActorRpc turns off "
        + "Akka's type-name JSON fallback for System.Object. Bind the type to a serializer of its own "
        + "(akka.actor.serialization-bindings, or WithCustomSerializer).");

    public override object FromBinary(byte[] bytes, Type type) => throw new SerializationException(
        $"Refused a {bytes.Length}-byte JSON (serializer id 1) payload{(type is null ? string.Empty : $" for {type.FullName}")} "
        + "from another node: ActorRpc's cluster does not read type-name JSON.");
}
