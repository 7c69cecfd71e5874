using System.Buffers.Binary;
using System.Text;
using Akka.Actor;
using Akka.Serialization;

namespace ActorRpc.Actors.Topics;

/// <summary>
/// Writes <see cref="TopicProtocol.TopicNotification"/> for the wire as
/// <c>[flags:1][topic length:4][topic UTF-8][frame bytes]</c>: the frame is already UTF-8 JSON,
/// so it crosses as it is, with no second JSON encoding around it.
/// </summary>
internal sealed class TopicNotificationSerializer(ExtendedActorSystem system) : Serializer(system)
{
    public const string Id = "actor-rpc-topics";

    private const byte RetainFlag = 1;

    /// <summary>Chosen once; must not clash with Akka's own (below 100) or other registered serializers.</summary>
    public override int Identifier => 41_701;

    public override bool IncludeManifest => false;

    public override byte[] ToBinary(object obj)
    {
        var notification = (TopicProtocol.TopicNotification)obj;
        var topicLength = Encoding.UTF8.GetByteCount(notification.Topic);
        var bytes = new byte[1 + 4 + topicLength + notification.Frame.Length];
        bytes[0] = notification.Retain ? RetainFlag : (byte)0;
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(1), topicLength);
        Encoding.UTF8.GetBytes(notification.Topic, bytes.AsSpan(5));
        notification.Frame.CopyTo(bytes.AsSpan(5 + topicLength));
        return bytes;
    }

    public override object FromBinary(byte[] bytes, Type? type)
    {
        var topicLength = BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(1));
        var topic = Encoding.UTF8.GetString(bytes, 5, topicLength);
        var frame = bytes.AsSpan(5 + topicLength).ToArray();
        return new TopicProtocol.TopicNotification(topic, frame, (bytes[0] & RetainFlag) != 0);
    }
}
