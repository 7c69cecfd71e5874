using System.Text;
using Akka.Actor;
using Akka.DependencyInjection;
using ActorRpc.Actors.Diagnostics;
using Akka.Serialization;
using ActorRpc.Actors.Routing;
using ActorRpc.Actors.Topics;

namespace ActorRpc.Actors.Cluster;

/// <summary>
/// The serializer of everything ActorRpc sends between nodes: topic notifications, calls routed to
/// a node of another role, their completions and their cancellations. JSON payloads (frames, ids, params) are already
/// UTF-8 bytes and cross as they are, length-prefixed, never encoded a second time.
/// </summary>
/// <remarks>
/// Fields added later go at the end of a message and are read only when present, under the same
/// manifest, so nodes of the previous and the next version understand each other during a rolling
/// upgrade: a <see cref="RouterProtocol.RemoteInvoke"/> without trace fields (from an older node)
/// reads as untraced, and an older node ignores the trailing trace fields of a newer one.
/// </remarks>
internal sealed class ClusterMessageSerializer(ExtendedActorSystem system) : SerializerWithStringManifest(system)
{
    public const string Id = "actor-rpc";

    private const string TopicNotificationManifest = "T";
    private const string RemoteInvokeManifest = "I";
    private const string InvocationCompletedManifest = "C";
    private const string CancelInvocationManifest = "X";

    private RpcMetrics? _metrics;
    private bool _metricsResolved;

    /// <summary>Chosen once; must not clash with Akka's own (below 100) or other registered serializers.</summary>
    public override int Identifier => 41_701;

    public static IReadOnlyList<Type> BoundTypes { get; } =
        [typeof(TopicProtocol.TopicNotification), typeof(RouterProtocol.RemoteInvoke), typeof(RouterProtocol.InvocationCompleted), typeof(RouterProtocol.CancelInvocation)];

    public override string Manifest(object o) => o switch
    {
        TopicProtocol.TopicNotification => TopicNotificationManifest,
        RouterProtocol.RemoteInvoke => RemoteInvokeManifest,
        RouterProtocol.InvocationCompleted => InvocationCompletedManifest,
        RouterProtocol.CancelInvocation => CancelInvocationManifest,
        _ => throw new ArgumentException($"Cannot serialize {o.GetType()}.", nameof(o)),
    };

    public override byte[] ToBinary(object obj)
    {
        using var stream = new MemoryStream();
        using (var writer = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true))
        {
            switch (obj)
            {
                case TopicProtocol.TopicNotification notification:
                    Metrics?.ClusterNotificationSent();
                    writer.Write(notification.Retain);
                    writer.Write(notification.Topic);
                    WriteBytes(writer, notification.Frame);
                    break;
                case RouterProtocol.RemoteInvoke invoke:
                    writer.Write(invoke.Sequence);
                    writer.Write(invoke.Method);
                    WriteBytes(writer, invoke.Id.Span);
                    WriteBytes(writer, invoke.Params.Span);
                    writer.Write(invoke.SessionId);
                    writer.Write(invoke.RemoteAddress ?? string.Empty);
                    writer.Write(invoke.Transport);
                    writer.Write(Akka.Serialization.Serialization.SerializedActorPath(invoke.ReplyTo));
                    writer.Write(invoke.TraceParent ?? string.Empty);
                    writer.Write(invoke.TraceState ?? string.Empty);
                    break;
                case RouterProtocol.InvocationCompleted completed:
                    writer.Write(completed.Sequence);
                    writer.Write(completed.Frame is not null);
                    WriteBytes(writer, completed.Frame);
                    break;
                case RouterProtocol.CancelInvocation cancel:
                    writer.Write(cancel.Sequence);
                    writer.Write(Akka.Serialization.Serialization.SerializedActorPath(cancel.ReplyTo));
                    break;
                default:
                    throw new ArgumentException($"Cannot serialize {obj.GetType()}.", nameof(obj));
            }
        }

        return stream.ToArray();
    }

    public override object FromBinary(byte[] bytes, string manifest)
    {
        using var reader = new BinaryReader(new MemoryStream(bytes), Encoding.UTF8);
        switch (manifest)
        {
            case TopicNotificationManifest:
                var retain = reader.ReadBoolean();
                var topic = reader.ReadString();
                Metrics?.ClusterNotificationReceived();
                return new TopicProtocol.TopicNotification(topic, ReadBytes(reader), retain);
            case RemoteInvokeManifest:
                var sequence = reader.ReadInt64();
                var method = reader.ReadString();
                var id = ReadBytes(reader);
                var parameters = ReadBytes(reader);
                var sessionId = reader.ReadString();
                var remoteAddress = reader.ReadString();
                var transport = reader.ReadString();
                var replyTo = system.Provider.ResolveActorRef(reader.ReadString());
                var traced = reader.BaseStream.Position < reader.BaseStream.Length;
                var traceParent = traced ? reader.ReadString() : string.Empty;
                var traceState = traced ? reader.ReadString() : string.Empty;
                return new RouterProtocol.RemoteInvoke(
                    sequence,
                    method,
                    id,
                    parameters,
                    sessionId,
                    remoteAddress.Length == 0 ? null : remoteAddress,
                    transport,
                    replyTo,
                    traceParent.Length == 0 ? null : traceParent,
                    traceState.Length == 0 ? null : traceState);
            case InvocationCompletedManifest:
                var completedSequence = reader.ReadInt64();
                var hasFrame = reader.ReadBoolean();
                var frame = ReadBytes(reader);
                return new RouterProtocol.InvocationCompleted(completedSequence, hasFrame ? frame : null);
            case CancelInvocationManifest:
                var cancelledSequence = reader.ReadInt64();
                return new RouterProtocol.CancelInvocation(cancelledSequence, system.Provider.ResolveActorRef(reader.ReadString()));
            default:
                throw new System.Runtime.Serialization.SerializationException($"Unknown manifest '{manifest}' for {nameof(ClusterMessageSerializer)}.");
        }
    }

    // This is the one place that sees every notification cross the network; the counts show that a
    // notify crosses to each node once, whatever the number of subscribers there. Serializers are
    // created by Akka before the node's services may be asked for, hence resolved on first use.
    private RpcMetrics? Metrics
    {
        get
        {
            if (!Volatile.Read(ref _metricsResolved))
            {
                try
                {
                    _metrics = (RpcMetrics?)DependencyResolver.For(system).Resolver.GetService(typeof(RpcMetrics));
                }
                catch (Exception ex) when (ex is AkkaException or InvalidOperationException or ArgumentException)
                {
                    _metrics = null; // An actor system without ActorRpc's services (a serializer test): nothing to count into.
                }

                Volatile.Write(ref _metricsResolved, true);
            }

            return _metrics;
        }
    }

    private static void WriteBytes(BinaryWriter writer, ReadOnlySpan<byte> bytes)
    {
        writer.Write(bytes.Length);
        writer.Write(bytes);
    }

    private static byte[] ReadBytes(BinaryReader reader) => reader.ReadBytes(reader.ReadInt32());
}
