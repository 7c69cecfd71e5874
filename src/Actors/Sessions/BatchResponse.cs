namespace ActorRpc.Actors.Sessions;

/// <summary>
/// Collects the responses of one batch until every request in it has answered, so they go out
/// as one array (in completion order: the specification allows any order).
/// </summary>
/// <remarks>
/// <para>
/// This class keeps the count of what is still awaited and the settlement of the batch's message;
/// the array itself is built once, pooled and held to MaxResponseSize by its <see cref="BatchFrameBuilder"/>.
/// </para>
/// <para>
/// In-flight bytes (see <see cref="ISessionTransport"/>): the message's bytes settle with the last of
/// the batch's settlements: its reply (or the moment it turns out to need none), or the last of its
/// routed notifications to finish after that (<see cref="Answered"/>, <see cref="NotificationFinished"/>).
/// </para>
/// </remarks>
internal sealed class BatchResponse
{
    private readonly BatchFrameBuilder _frame;
    private int _outstanding;
    private int _runningNotifications;
    private bool _sealed;
    private bool _answered;

    /// <param name="maxResponseSize">MaxResponseSize: the most bytes the array may take.</param>
    /// <param name="messageBytes">The length of the batch's message, counted in flight until the batch settles.</param>
    public BatchResponse(int maxResponseSize, long messageBytes)
    {
        _frame = new BatchFrameBuilder(maxResponseSize);
        MessageBytes = messageBytes;
    }

    /// <summary>Every entry was dispatched and every awaited response arrived.</summary>
    public bool IsComplete => _sealed && _outstanding == 0;

    public bool HasResponses => _frame.Count > 0;

    /// <summary>The array would pass MaxResponseSize: the batch answers one error instead.</summary>
    public bool IsTooLarge => _frame.IsTooLarge;

    /// <summary>How many entries answer (all but its notifications): what the batch's reply settles in flight.</summary>
    public int Requests { get; private set; }

    /// <summary>The length of the batch's message (MaxInFlightBytes).</summary>
    public long MessageBytes { get; }

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
        _frame.Append(response);
        Requests++;
    }

    /// <summary>An awaited response arrived; true when it completes the batch (never before <see cref="Seal"/>).</summary>
    public bool Complete(byte[] response)
    {
        _frame.Append(response);
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
    public ResponseFrame TakeFrame() => _frame.TakeFrame();

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
}
