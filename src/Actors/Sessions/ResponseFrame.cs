using System.Buffers;

namespace ActorRpc.Actors.Sessions;

/// <summary>
/// A response frame handed to an <see cref="ISessionTransport"/>: an array of its own (a single
/// response), or the front of a buffer rented from <see cref="ArrayPool{T}.Shared"/> (a batch's
/// array, built there once, see <see cref="BatchResponse"/>). The transport that takes it owns it:
/// it calls <see cref="Return"/> exactly once, when the frame is written or dropped.
/// </summary>
internal readonly struct ResponseFrame
{
    private ResponseFrame(byte[] buffer, int length, bool pooled)
    {
        Buffer = buffer;
        Length = length;
        IsPooled = pooled;
    }

    /// <summary>The array that holds the frame, from its start; longer than <see cref="Length"/> when pooled.</summary>
    public byte[] Buffer { get; }

    /// <summary>The frame's length in bytes.</summary>
    public int Length { get; }

    /// <summary>Whether <see cref="Buffer"/> is rented and goes back to the pool.</summary>
    public bool IsPooled { get; }

    /// <summary>The frame's bytes.</summary>
    public ReadOnlyMemory<byte> Memory => Buffer.AsMemory(0, Length);

    public static implicit operator ResponseFrame(byte[] frame) => new(frame, frame.Length, pooled: false);

    /// <summary>A frame written into the front of a rented buffer, which the taker returns.</summary>
    public static ResponseFrame Pooled(byte[] buffer, int length) => new(buffer, length, pooled: true);

    /// <summary>Gives a rented buffer back (nothing to do for an array of its own). Once: the frame is gone after it.</summary>
    public void Return()
    {
        if (IsPooled)
        {
            ArrayPool<byte>.Shared.Return(Buffer);
        }
    }

    /// <summary>The frame as an array of its own: itself when it is one; else a copy, and the buffer returned.</summary>
    public byte[] ToArrayAndReturn()
    {
        if (!IsPooled)
        {
            return Buffer;
        }

        var copy = Memory.ToArray();
        Return();
        return copy;
    }
}
