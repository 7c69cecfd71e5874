using System.Buffers.Binary;
using System.Globalization;
using System.Runtime.Serialization;
using Akka.Actor;
using ActorRpc.Actors.Cluster;
using ActorRpc.Actors.Routing;
using ActorRpc.Actors.Topics;
using Xunit.Abstractions;

namespace ActorRpc.Tests.Robustness;

/// <summary>
/// Issue 12: what another node sends is untrusted input. Random bytes, every truncation, bit flips
/// and huge length prefixes at every offset of real frames, under every manifest: the serializer
/// either reads a message or throws <see cref="SerializationException"/>, and never allocates more
/// than a small multiple of the frame (a 20-byte frame claiming a 2 GB array used to allocate it).
/// Seeded and deterministic: set ACTORRPC_FUZZ_SEED to replay a run.
/// </summary>
public sealed class ClusterMessageSerializerFuzzSpec(ITestOutputHelper output) : Akka.TestKit.Xunit2.TestKit
{
    private const int DefaultSeed = 12_2026;
    private const int RandomFramesPerManifest = 1_000;
    private const int BitFlipsPerSample = 200;
    private const int MaxReportedFailures = 20;

    // What a frame may cost beyond its own bytes: the message's objects, the UTF-16 copy of its
    // strings (twice the UTF-8 bytes at most), and an exception with its message.
    private const long FixedAllocationAllowance = 64 * 1024;
    private const int AllocationPerInputByte = 4;

    private static readonly int[] HugeLengths = [int.MaxValue, 0x7FFF_FFC7, 1 << 28, 1 << 20, -1, int.MinValue];

    [Fact]
    public void FromBinary_RandomTruncatedFlippedAndHugePrefixedFrames_ThrowsSerializationExceptionOnlyWithBoundedAllocation()
    {
        var seed = Environment.GetEnvironmentVariable("ACTORRPC_FUZZ_SEED") is { Length: > 0 } text
            ? int.Parse(text, CultureInfo.InvariantCulture)
            : DefaultSeed;
        output.WriteLine($"Fuzz seed {seed} (replay with ACTORRPC_FUZZ_SEED={seed})");
        var random = new Random(seed);
        var serializer = new ClusterMessageSerializer((ExtendedActorSystem)Sys);
        var samples = Samples().Select(m => (Manifest: serializer.Manifest(m), Frame: serializer.ToBinary(m))).ToArray();
        var manifests = samples.Select(s => s.Manifest).Distinct().Append("?").ToArray();

        // The first read resolves the serializer's metrics and the path cache: not part of any case.
        foreach (var (manifest, frame) in samples)
        {
            serializer.FromBinary(frame, manifest);
        }

        var failures = new List<string>();
        var cases = 0;
        var rejected = 0;
        long worstAllocation = 0;

        void Run(string manifest, byte[] frame, string what)
        {
            if (failures.Count >= MaxReportedFailures)
            {
                return; // enough to go on, and a broken reader may allocate gigabytes per case
            }

            cases++;
            var before = GC.GetAllocatedBytesForCurrentThread();
            try
            {
                serializer.FromBinary(frame, manifest);
            }
            catch (SerializationException)
            {
                rejected++;
            }
            catch (Exception ex)
            {
                failures.Add($"{what} '{manifest}' [{Convert.ToHexString(frame.AsSpan(0, Math.Min(frame.Length, 48)))}{(frame.Length > 48 ? "..." : "")}]: {ex.GetType().Name}: {ex.Message}");
                return;
            }

            var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
            worstAllocation = Math.Max(worstAllocation, allocated);
            if (allocated > FixedAllocationAllowance + ((long)AllocationPerInputByte * frame.Length))
            {
                failures.Add($"{what} '{manifest}' ({frame.Length} bytes) allocated {allocated} bytes");
            }
        }

        foreach (var manifest in manifests)
        {
            for (var i = 0; i < RandomFramesPerManifest; i++)
            {
                var frame = new byte[random.Next(0, 300)];
                random.NextBytes(frame);
                Run(manifest, frame, "random");
            }
        }

        foreach (var (manifest, frame) in samples)
        {
            for (var length = 0; length < frame.Length; length++)
            {
                Run(manifest, frame[..length], $"truncated to {length}");
            }

            for (var i = 0; i < BitFlipsPerSample && frame.Length > 0; i++) // A message without fields (CancelClientCall) has no bit to flip.
            {
                var flipped = frame.ToArray();
                var bit = random.Next(flipped.Length * 8);
                flipped[bit / 8] ^= (byte)(1 << (bit % 8));
                Run(manifest, flipped, $"bit {bit} flipped");
            }

            for (var offset = 0; offset < frame.Length; offset++)
            {
                foreach (var huge in HugeLengths)
                {
                    // As a byte-array length (4 bytes, little-endian) over the bytes there ...
                    if (offset + sizeof(int) <= frame.Length)
                    {
                        var asInt32 = frame.ToArray();
                        BinaryPrimitives.WriteInt32LittleEndian(asInt32.AsSpan(offset), huge);
                        Run(manifest, asInt32, $"int32 {huge} at {offset}");
                    }

                    // ... and as a string length (7-bit encoded), inserted there.
                    var asString = frame[..offset].Concat(SevenBitEncoded(unchecked((uint)huge))).Concat(frame[offset..]).ToArray();
                    Run(manifest, asString, $"7-bit {huge} at {offset}");
                }
            }
        }

        output.WriteLine($"Ran {cases} frames: {rejected} rejected with SerializationException; worst allocation {worstAllocation} bytes.");
        Assert.True(failures.Count == 0, string.Join(Environment.NewLine, failures));
        Assert.True(rejected > cases / 2, $"Only {rejected} of {cases} frames were rejected: the cases do not reach the checks.");
    }

    private IEnumerable<object> Samples()
    {
        yield return new TopicProtocol.TopicNotification("news", """{"jsonrpc":"2.0","method":"news","params":[1]}"""u8.ToArray(), Retain: false);
        yield return new TopicProtocol.TopicNotification("orders.é", """{"jsonrpc":"2.0","method":"orders.é"}"""u8.ToArray(), Retain: true);
        yield return new RouterProtocol.RemoteInvoke(42, "math.add", "7"u8.ToArray(), "[1,2]"u8.ToArray(), "s1", "127.0.0.1:5000", "websocket", TestActor);
        yield return new RouterProtocol.RemoteInvoke(
            1, "m", "\"a\""u8.ToArray(), default, "s2", null, "http", TestActor, "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01", "k=v");
        yield return new RouterProtocol.RemoteInvoke(
            2, "orders.place", "3"u8.ToArray(), "{}"u8.ToArray(), "s3", null, "websocket", TestActor, User: new System.Security.Claims.ClaimsPrincipal([
                new System.Security.Claims.ClaimsIdentity([new("unique_name", "alice"), new("role", "admin"), new("permission", "orders.write", null, "https://issuer.test")], "Bearer", "unique_name", "role"),
                new System.Security.Claims.ClaimsIdentity([new("amr", "mfa")], "Certificate"),
            ]));
        yield return new RouterProtocol.InvocationCompleted(7, """{"jsonrpc":"2.0","id":1,"result":5}"""u8.ToArray());
        yield return new RouterProtocol.InvocationCompleted(8, null);
        yield return new RouterProtocol.CancelInvocation(9, TestActor);
        yield return new ActorRpc.Actors.Sessions.ClientCallProtocol.CallClient("confirm", "[\"sure?\"]"u8.ToArray(), ExpectsAnswer: true);
        yield return new ActorRpc.Actors.Sessions.ClientCallProtocol.ClientCallAnswer(
            ActorRpc.Actors.Sessions.ClientCallOutcome.Error, """{"code":-32042,"message":"no"}"""u8.ToArray(), string.Empty);
        yield return ActorRpc.Actors.Sessions.ClientCallProtocol.CancelClientCall.Instance;
    }

    private static byte[] SevenBitEncoded(uint value)
    {
        var bytes = new List<byte>();
        while (value >= 0x80)
        {
            bytes.Add((byte)(value | 0x80));
            value >>= 7;
        }

        bytes.Add((byte)value);
        return [.. bytes];
    }
}
