using System.Buffers;

namespace ActorRpc.Actors.Sessions;

/// <summary>
/// Builds one batch's response array, once, in a buffer rented from the pool, and holds it to
/// MaxResponseSize. <see cref="BatchResponse"/> owns one and decides when the array is complete.
/// </summary>
/// <remarks>
/// <para>
/// Each response is appended as it arrives (the response's own array is garbage from then on), and
/// the buffer, closed with its <c>]</c>, is the frame handed to the transport (<see cref="TakeFrame"/>),
/// which returns it to the pool once written. Collecting the responses first and joining them
/// afterwards held every byte twice (a batch of 1,000 large <c>get_subscriptions</c> answers built
/// 250 MB, then copied it; issue #12).
/// </para>
/// <para>
/// The running size is checked as responses arrive: once the array would pass MaxResponseSize the
/// buffer goes back and later responses are only counted (<see cref="IsTooLarge"/>); the batch then
/// answers one -32603 (<see cref="ResponseSizeLimit"/>).
/// </para>
/// </remarks>
/// <param name="maxResponseSize">MaxResponseSize: the most bytes the array may take.</param>
internal sealed class BatchFrameBuilder(int maxResponseSize)
{
    private const int InitialBufferSize = 4 * 1024;

    // "[" and the responses so far, separated by commas; null before the first, once too large, and once taken.
    private byte[]? _buffer;
    private int _length;

    /// <summary>How many responses were appended (counted also once too large).</summary>
    public int Count { get; private set; }

    /// <summary>The array would pass MaxResponseSize: the batch answers one error instead.</summary>
    public bool IsTooLarge { get; private set; }

    /// <summary>The bytes of the array so far (with its closing bracket), while it is not too large.</summary>
    public int Length => _length + 1;

    /// <summary>Appends one response to the array, unless the array is (or now becomes) too large.</summary>
    public void Append(byte[] response)
    {
        Count++;
        if (IsTooLarge)
        {
            return;
        }

        // The separator (or the opening bracket) before it, and room kept for the closing bracket.
        var needed = _length + 1 + response.Length + 1;
        if (needed > maxResponseSize)
        {
            IsTooLarge = true;
            if (_buffer is not null)
            {
                ArrayPool<byte>.Shared.Return(_buffer);
                _buffer = null;
            }

            _length = 0;
            return;
        }

        if (_buffer is null)
        {
            _buffer = ArrayPool<byte>.Shared.Rent(Math.Max(InitialBufferSize, needed));
        }
        else if (_buffer.Length < needed)
        {
            var larger = ArrayPool<byte>.Shared.Rent(Math.Min(Math.Max(needed, _buffer.Length * 2), maxResponseSize));
            _buffer.AsSpan(0, _length).CopyTo(larger);
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = larger;
        }

        _buffer[_length++] = Count == 1 ? (byte)'[' : (byte)',';
        response.CopyTo(_buffer, _length);
        _length += response.Length;
    }

    /// <summary>
    /// The array, closed, in its pooled buffer: the transport that takes it returns the buffer. Once,
    /// when it has responses and is not too large.
    /// </summary>
    public ResponseFrame TakeFrame()
    {
        var buffer = _buffer ?? throw new InvalidOperationException("The batch has no array to take (none yet, too large, or taken).");
        buffer[_length++] = (byte)']';
        _buffer = null;
        return ResponseFrame.Pooled(buffer, _length);
    }
}
