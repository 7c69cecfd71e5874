using System.Buffers.Binary;
using System.Runtime.Serialization;
using System.Text;

namespace ActorRpc.Actors.Cluster;

/// <summary>
/// Reads the fields <see cref="ClusterMessageSerializer"/> wrote with a <see cref="BinaryWriter"/>
/// (little-endian integers, a 4-byte length before byte arrays, a 7-bit encoded length before
/// UTF-8 strings, 7-bit encoded item counts) from a frame another node sent, so from bytes nobody checked yet.
/// </summary>
/// <remarks>
/// A <see cref="BinaryReader"/> trusts its length prefixes: <c>ReadBytes(int.MaxValue)</c> allocates
/// 2 GB before it finds the frame is 20 bytes long. Here every length is checked against the bytes
/// left first, so a frame never costs more memory than its own size, and every malformed frame
/// fails with the one <see cref="SerializationException"/> Akka's remoting expects (it drops that
/// message and keeps the association).
/// </remarks>
internal ref struct ClusterFrameReader
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private readonly ReadOnlySpan<byte> _frame;
    private readonly string _manifest;
    private int _position;

    public ClusterFrameReader(ReadOnlySpan<byte> frame, string manifest)
    {
        _frame = frame;
        _manifest = manifest;
    }

    /// <summary>Whether every byte has been read (a frame from an older node ends before the fields added since).</summary>
    public readonly bool AtEnd => _position == _frame.Length;

    private readonly int Remaining => _frame.Length - _position;

    /// <summary>A byte; any non-zero value is true, as <see cref="BinaryReader.ReadBoolean"/> reads it.</summary>
    public bool ReadBoolean() => Take(1, "boolean")[0] != 0;

    public byte ReadByte() => Take(1, "byte")[0];

    public long ReadInt64() => BinaryPrimitives.ReadInt64LittleEndian(Take(sizeof(long), "64-bit integer"));

    /// <summary>A 4-byte little-endian length, then that many bytes.</summary>
    public byte[] ReadBytes()
    {
        var length = BinaryPrimitives.ReadInt32LittleEndian(Take(sizeof(int), "byte-array length"));
        if (length < 0 || length > Remaining)
        {
            throw Malformed($"a byte array of {length} bytes, but only {Remaining} are left");
        }

        return Take(length, "byte array").ToArray();
    }

    /// <summary>A 7-bit encoded byte count, then that many bytes of valid UTF-8.</summary>
    public string ReadString()
    {
        var length = Read7BitEncodedLength("string length");
        if (length > Remaining)
        {
            throw Malformed($"a string of {length} bytes, but only {Remaining} are left");
        }

        var bytes = Take(length, "string");
        try
        {
            return StrictUtf8.GetString(bytes);
        }
        catch (DecoderFallbackException ex)
        {
            throw new SerializationException(Describe("a string that is not valid UTF-8"), ex);
        }
    }

    /// <summary>
    /// A 7-bit encoded item count (as <see cref="BinaryWriter.Write7BitEncodedInt"/> writes it),
    /// checked against the bytes left: every item takes at least <paramref name="minBytesPerItem"/>,
    /// so a count the frame cannot hold fails here, before anything is allocated for it.
    /// </summary>
    public int ReadCount(int minBytesPerItem)
    {
        var count = Read7BitEncodedLength("count");
        if ((long)count * minBytesPerItem > Remaining)
        {
            throw Malformed($"a count of {count} items of at least {minBytesPerItem} bytes each, but only {Remaining} bytes are left");
        }

        return count;
    }

    /// <summary>The malformed-frame error, for a rule of the message rather than of the encoding (a count over its limit).</summary>
    public readonly SerializationException Malformed(string problem) => new(Describe(problem));

    // BinaryWriter.Write(string) writes the byte count 7 bits at a time, low bits first, the top
    // bit of each byte saying another follows: at most 5 bytes for a 32-bit count.
    private int Read7BitEncodedLength(string what)
    {
        uint length = 0;
        for (var shift = 0; shift < 35; shift += 7)
        {
            var part = Take(1, what)[0];
            if (shift == 28 && part > 0b1111)
            {
                throw Malformed($"a {what} that does not fit 32 bits");
            }

            length |= (uint)(part & 0x7F) << shift;
            if ((part & 0x80) == 0)
            {
                return length > int.MaxValue
                    ? throw Malformed($"a {what} of {length}, more than a frame can hold ({Remaining} bytes are left)")
                    : (int)length;
            }
        }

        throw Malformed($"a {what} that does not fit 32 bits");
    }

    private ReadOnlySpan<byte> Take(int count, string what)
    {
        if (count > Remaining)
        {
            throw Malformed($"a {what} of {count} bytes, but only {Remaining} are left");
        }

        var taken = _frame.Slice(_position, count);
        _position += count;
        return taken;
    }

    private readonly string Describe(string problem) =>
        $"Malformed '{_manifest}' frame for {nameof(ClusterMessageSerializer)} ({_frame.Length} bytes): at offset {_position}, {problem}.";
}
