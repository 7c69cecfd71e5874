using System.Buffers;

namespace ActorRpc.Actors.Sessions;

/// <summary>
/// Collects the responses of one batch until every request in it has answered, so they go out
/// as one array (in completion order: the specification allows any order).
/// </summary>
/// <remarks>
/// <para>
/// The array is built once: each response is appended to one buffer rented from the pool as it
/// arrives (the response's own array is garbage from then on), and that buffer, closed with its
/// <c>]</c>, is the frame handed to the transport (<see cref="TakeFrame"/>), which returns it to the
/// pool once written. Collecting the responses first and joining them afterwards held every byte
/// twice (a batch of 1,000 large <c>get_subscriptions</c> answers built 250 MB, then copied it).
/// </para>
/// <para>
/// The running size is checked as responses arrive: once the array would pass MaxResponseSize the
/// buffer goes back and later responses are only counted (<see cref="IsTooLarge"/>); the batch then
/// answers one -32603 (<see cref="ResponseSizeLimit"/>).
/// </para>
/// <para>
/// In-flight bytes (see <see cref="ISessionTransport"/>): the message's bytes settle with the last of
/// the batch's settlements: its reply (or the moment it turns out to need none), or the last of its
/// routed notifications to finish after that (<see cref="Answered"/>, <see cref="NotificationFinished"/>).
/// </para>
/// </remarks>
internal sealed class BatchResponse
{
    private const int InitialBufferSize = 4 * 1024;

    private readonly int _maxResponseSize;
    // "[" and the responses so far, separated by commas; null before the first and once too large.
    private byte[]? _buffer;
    private int _length;
    private int _responses;
    private int _outstanding;
    private int _runningNotifications;
    private bool _sealed;
    private bool _answered;

    /// <param name="maxResponseSize">MaxResponseSize: the most bytes the array may take.</param>
    /// <param name="messageBytes">The length of the batch's message, counted in flight until the batch settles.</param>
    public BatchResponse(int maxResponseSize, long messageBytes)
    {
        _maxResponseSize = maxResponseSize;
        MessageBytes = messageBytes;
    }

    /// <summary>Every entry was dispatched and every awaited response arrived.</summary>
    public bool IsComplete => _sealed && _outstanding == 0;

    public bool HasResponses => _responses > 0;

    /// <summary>The array would pass MaxResponseSize: the batch answers one error instead.</summary>
    public bool IsTooLarge { get; private set; }

    /// <summary>How many entries answer (all but its notifications): what the batch's reply settles in flight.</summary>
    public int Requests { get; private set; }

    /// <summary>The length of the batch's message (MaxInFlightBytes).</summary>
    public long MessageBytes { get; }

    /// <summary>The bytes of the array so far (with its closing bracket), while it is not too large.</summary>
    public int Length => _length + 1;

    /// <summary>One more dispatched request whose response is awaited.</summary>
    public void Expect()
    {
        _outstanding++;
        Requests++;
    }

    /// <summary>One more routed notification, running until <see cref="NotificationFinished"/>.</summary>
    public void ExpectNotification() => _runningNotifications++;

    /// <summary>A response known at once (an invalid request, an unknown method).</summary>
    public void AddImmediate(byte[] response)
    {
        Append(response);
        Requests++;
    }

    /// <summary>An awaited response arrived; true when it completes the batch (never before <see cref="Seal"/>).</summary>
    public bool Complete(byte[] response)
    {
        Append(response);
        _outstanding--;
        return IsComplete;
    }

    /// <summary>
    /// Every entry is dispatched; true when nothing is awaited any more. Until then the batch cannot
    /// complete: an entry answered while later ones are still being dispatched (a <c>$/cancelRequest</c>
    /// of an earlier entry in the same batch gives it up at once) must not send the array early,
    /// and the array must go out once.
    /// </summary>
    public bool Seal()
    {
        _sealed = true;
        return IsComplete;
    }

    /// <summary>
    /// The array, closed, in its pooled buffer: the transport that takes it returns the buffer. Once,
    /// when the batch is complete, has responses and is not too large.
    /// </summary>
    public ResponseFrame TakeFrame()
    {
        var buffer = _buffer ?? throw new InvalidOperationException("The batch has no array to take (none yet, too large, or taken).");
        buffer[_length++] = (byte)']';
        _buffer = null;
        return ResponseFrame.Pooled(buffer, _length);
    }

    /// <summary>
    /// The batch has its answer (its reply is handed on, or it needs none); returns the message bytes
    /// that settle with it: all of them unless routed notifications still run (the last one settles them).
    /// </summary>
    public long Answered()
    {
        _answered = true;
        return _runningNotifications == 0 ? MessageBytes : 0;
    }

    /// <summary>A routed notification of the batch finished; returns the message bytes that settle with it (see <see cref="Answered"/>).</summary>
    public long NotificationFinished()
    {
        _runningNotifications--;
        return _answered && _runningNotifications == 0 ? MessageBytes : 0;
    }

    private void Append(byte[] response)
    {
        _responses++;
        if (IsTooLarge)
        {
            return;
        }

        // The separator (or the opening bracket) before it, and room kept for the closing bracket.
        var needed = _length + 1 + response.Length + 1;
        if (needed > _maxResponseSize)
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
            var larger = ArrayPool<byte>.Shared.Rent(Math.Min(Math.Max(needed, _buffer.Length * 2), _maxResponseSize));
            _buffer.AsSpan(0, _length).CopyTo(larger);
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = larger;
        }

        _buffer[_length++] = _responses == 1 ? (byte)'[' : (byte)',';
        response.CopyTo(_buffer, _length);
        _length += response.Length;
    }
}
