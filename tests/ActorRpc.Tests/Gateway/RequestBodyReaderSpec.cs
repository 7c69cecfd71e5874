using System.Text;
using ActorRpc.Gateway.Transport;
using ActorRpc.Tests.Infrastructure;

namespace ActorRpc.Tests.Gateway;

/// <summary>Issue 12: a POST body grows from pooled buffers as it arrives, never sized from Content-Length up front.</summary>
public sealed class RequestBodyReaderSpec
{
    private const int Limit = 1024 * 1024;

    [Fact]
    public async Task ReadAsync_LargeContentLengthButStalledBody_AllocatesNothingNearTheAnnouncedSize()
    {
        // A client announces a megabyte and sends nothing: what it costs is what it sent.
        using var stalled = new StalledStream();
        var before = GC.GetAllocatedBytesForCurrentThread();
        var reading = RequestBodyReader.ReadAsync(stalled, contentLength: Limit, Limit, CancellationToken.None);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.False(reading.IsCompleted);
        Assert.True(allocated < 64 * 1024, $"{allocated} bytes allocated for a body that has sent nothing");
        stalled.End();
        Assert.Empty((await reading.DefaultTimeout())!);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(4096)]
    [InlineData(4097)]
    [InlineData(100_000)]
    [InlineData(Limit)]
    public async Task ReadAsync_BodyInSmallReads_ExactBytes(int size)
    {
        var bytes = Encoding.ASCII.GetBytes(new string('x', size));
        for (var i = 0; i < bytes.Length; i += 997)
        {
            bytes[i] = (byte)('a' + (i % 26));
        }

        using var body = new TrickleStream(bytes, chunk: 1000);
        var read = await RequestBodyReader.ReadAsync(body, contentLength: null, Limit, CancellationToken.None);

        Assert.Equal(bytes, read);
    }

    [Fact]
    public async Task ReadAsync_ChunkedBodyOverLimit_Null()
    {
        using var body = new TrickleStream(new byte[Limit + 1], chunk: 8192);
        Assert.Null(await RequestBodyReader.ReadAsync(body, contentLength: null, Limit, CancellationToken.None));
    }

    [Fact]
    public async Task ReadAsync_ContentLengthOverLimit_NullWithoutReading()
    {
        using var body = new StalledStream();
        Assert.Null(await RequestBodyReader.ReadAsync(body, contentLength: Limit + 1L, Limit, CancellationToken.None));
    }

    /// <summary>A body whose bytes never come until <see cref="End"/>.</summary>
    private sealed class StalledStream : Stream
    {
        private readonly TaskCompletionSource<int> _end = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public void End() => _end.TrySetResult(0);

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) => new(_end.Task);

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }

    /// <summary>A body that hands out at most <c>chunk</c> bytes per read.</summary>
    private sealed class TrickleStream(byte[] bytes, int chunk) : MemoryStream(bytes)
    {
        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            base.ReadAsync(buffer[..Math.Min(buffer.Length, chunk)], cancellationToken);
    }
}
