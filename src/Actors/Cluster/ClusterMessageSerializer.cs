using System.Runtime.Serialization;
using System.Text;
using Akka.Actor;
using Akka.DependencyInjection;
using ActorRpc.Actors.Diagnostics;
using Akka.Serialization;
using ActorRpc.Actors.Routing;
using ActorRpc.Actors.Sessions;
using ActorRpc.Actors.Topics;

namespace ActorRpc.Actors.Cluster;

/// <summary>
/// The serializer of everything ActorRpc sends between nodes: topic notifications, calls routed to
/// a node of another role, their completions and their cancellations, and calls from the server to
/// a client whose socket another node holds (<see cref="ClientCallProtocol"/>). JSON payloads (frames, ids, params) are already
/// UTF-8 bytes and cross as they are, length-prefixed, never encoded a second time.
/// </summary>
/// <remarks>
/// Fields added later go at the end of a message and are read only when present, under the same
/// manifest, so nodes of the previous and the next version understand each other during a rolling
/// upgrade: a <see cref="RouterProtocol.RemoteInvoke"/> without trace fields (from an older node)
/// reads as untraced, one without the caller's user (see <see cref="ClaimsPrincipalWire"/>) reads as
/// an anonymous call, and an older node ignores the trailing fields of a newer one.
/// </remarks>
internal sealed class ClusterMessageSerializer(ExtendedActorSystem system) : SerializerWithStringManifest(system)
{
    public const string Id = "actor-rpc";

    private const string TopicNotificationManifest = "T";
    private const string RemoteInvokeManifest = "I";
    private const string InvocationCompletedManifest = "C";
    private const string CancelInvocationManifest = "X";
    private const string CallClientManifest = "K";
    private const string ClientCallAnswerManifest = "A";
    private const string CancelClientCallManifest = "Y";

    private RpcMetrics? _metrics;
    private bool _metricsResolved;

    /// <summary>Chosen once; must not clash with Akka's own (below 100) or other registered serializers.</summary>
    public override int Identifier => 41_701;

    public static IReadOnlyList<Type> BoundTypes { get; } =
        [
            typeof(TopicProtocol.TopicNotification), typeof(RouterProtocol.RemoteInvoke), typeof(RouterProtocol.InvocationCompleted), typeof(RouterProtocol.CancelInvocation),
            typeof(ClientCallProtocol.CallClient), typeof(ClientCallProtocol.ClientCallAnswer), typeof(ClientCallProtocol.CancelClientCall),
        ];

    public override string Manifest(object o) => o switch
    {
        TopicProtocol.TopicNotification => TopicNotificationManifest,
        RouterProtocol.RemoteInvoke => RemoteInvokeManifest,
        RouterProtocol.InvocationCompleted => InvocationCompletedManifest,
        RouterProtocol.CancelInvocation => CancelInvocationManifest,
        ClientCallProtocol.CallClient => CallClientManifest,
        ClientCallProtocol.ClientCallAnswer => ClientCallAnswerManifest,
        ClientCallProtocol.CancelClientCall => CancelClientCallManifest,
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
                    Metrics?.ClusterNotificationSent(notification.Topic);
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
                    ClaimsPrincipalWire.Write(writer, invoke.User);
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
                case ClientCallProtocol.CallClient call:
                    writer.Write(call.ExpectsAnswer);
                    writer.Write(call.Method);
                    WriteBytes(writer, call.Params);
                    break;
                case ClientCallProtocol.ClientCallAnswer answer:
                    writer.Write((byte)answer.Outcome);
                    WriteBytes(writer, answer.Payload);
                    writer.Write(answer.Detail);
                    break;
                case ClientCallProtocol.CancelClientCall:
                    break; // The sender says which call.
                default:
                    throw new ArgumentException($"Cannot serialize {obj.GetType()}.", nameof(obj));
            }
        }

        return stream.ToArray();
    }

    public override object FromBinary(byte[] bytes, string manifest)
    {
        // The frame came from another node: every length in it is checked before it is used.
        var reader = new ClusterFrameReader(bytes, manifest);
        switch (manifest)
        {
            case TopicNotificationManifest:
                var retain = reader.ReadBoolean();
                var topic = reader.ReadString();
                var notification = new TopicProtocol.TopicNotification(topic, reader.ReadBytes(), retain);
                Metrics?.ClusterNotificationReceived(topic);
                return notification;
            case RemoteInvokeManifest:
                var sequence = reader.ReadInt64();
                var method = reader.ReadString();
                var id = reader.ReadBytes();
                var parameters = reader.ReadBytes();
                var sessionId = reader.ReadString();
                var remoteAddress = reader.ReadString();
                var transport = reader.ReadString();
                var replyTo = ResolveReplyTo(reader.ReadString());
                var traced = !reader.AtEnd;
                var traceParent = traced ? reader.ReadString() : string.Empty;
                var traceState = traced ? reader.ReadString() : string.Empty;
                var user = reader.AtEnd ? null : ClaimsPrincipalWire.Read(ref reader);
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
                    traceState.Length == 0 ? null : traceState,
                    user);
            case InvocationCompletedManifest:
                var completedSequence = reader.ReadInt64();
                var hasFrame = reader.ReadBoolean();
                var frame = reader.ReadBytes();
                return new RouterProtocol.InvocationCompleted(completedSequence, hasFrame ? frame : null);
            case CancelInvocationManifest:
                var cancelledSequence = reader.ReadInt64();
                return new RouterProtocol.CancelInvocation(cancelledSequence, ResolveReplyTo(reader.ReadString()));
            case CallClientManifest:
                var expectsAnswer = reader.ReadBoolean();
                var clientMethod = reader.ReadString();
                return new ClientCallProtocol.CallClient(clientMethod, reader.ReadBytes(), expectsAnswer);
            case ClientCallAnswerManifest:
                var outcome = reader.ReadByte();
                if (!Enum.IsDefined((ClientCallOutcome)outcome))
                {
                    // From a newer node, or garbage: an outcome this node cannot act on must not pass for a result.
                    throw reader.Malformed($"an unknown call outcome {outcome}");
                }

                var payload = reader.ReadBytes();
                return new ClientCallProtocol.ClientCallAnswer((ClientCallOutcome)outcome, payload, reader.ReadString());
            case CancelClientCallManifest:
                return ClientCallProtocol.CancelClientCall.Instance;
            default:
                throw new SerializationException($"Unknown manifest '{manifest}' for {nameof(ClusterMessageSerializer)}.");
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

    // A path that does not parse, or names no actor, resolves to dead letters; one that parses with a
    // malformed uid ("#x") makes Akka throw, which becomes the malformed-frame error like any other.
    private IActorRef ResolveReplyTo(string path)
    {
        try
        {
            return system.Provider.ResolveActorRef(path);
        }
        catch (Exception ex) when (ex is FormatException or ArgumentException or OverflowException)
        {
            throw new SerializationException($"Malformed reply path in a {nameof(ClusterMessageSerializer)} frame: {ex.Message}", ex);
        }
    }

    private static void WriteBytes(BinaryWriter writer, ReadOnlySpan<byte> bytes)
    {
        writer.Write(bytes.Length);
        writer.Write(bytes);
    }
}
