using System.Buffers;

namespace ActorRpc.Gateway.Transport;

/// <summary>
/// Reads a POST body into one array of exactly its size, growing its buffer from
/// <see cref="ArrayPool{T}.Shared"/> as bytes arrive. Never sized from <c>Content-Length</c>: a
/// client that announces a megabyte and then trickles bytes (or none) holds only what it sent.
/// </summary>
internal static class RequestBodyReader
{
    /// <summary>The first buffer, and the least each read asks for.</summary>
    internal const int InitialBufferSize = 4096;

    /// <summary>
    /// The whole body, or null as soon as it is known to exceed <paramref name="limit"/> (from
    /// <paramref name="contentLength"/> before reading, else while reading).
    /// </summary>
    public static async Task<byte[]?> ReadAsync(Stream body, long? contentLength, int limit, CancellationToken cancellationToken)
    {
        if (contentLength > limit)
        {
            return null;
        }

        var pool = ArrayPool<byte>.Shared;
        var buffer = pool.Rent(InitialBufferSize);
        var written = 0;
        try
        {
            while (true)
            {
                if (written == buffer.Length)
                {
                    // Doubling: a body of n bytes is copied at most log2(n / 4096) times, into pooled arrays.
                    var larger = pool.Rent((int)Math.Min((long)buffer.Length * 2, (long)limit + 1));
                    buffer.AsSpan(0, written).CopyTo(larger);
                    pool.Return(buffer);
                    buffer = larger;
                }

                var read = await body.ReadAsync(buffer.AsMemory(written), cancellationToken).ConfigureAwait(false);
                if (read == 0)
                {
                    return buffer.AsSpan(0, written).ToArray();
                }

                written += read;
                if (written > limit)
                {
                    return null;
                }
            }
        }
        finally
        {
            pool.Return(buffer);
        }
    }
}
