namespace ActorRpc.Actors.Sessions;

/// <summary>
/// Collects the responses of one batch until every request in it has answered, so they go out
/// as one array (in completion order: the specification allows any order).
/// </summary>
internal sealed class BatchResponse
{
    private readonly List<byte[]> _responses = [];
    private int _outstanding;
    private bool _sealed;

    /// <summary>Every entry was dispatched and every awaited response arrived.</summary>
    public bool IsComplete => _sealed && _outstanding == 0;

    public bool HasResponses => _responses.Count > 0;

    public IReadOnlyList<byte[]> Responses => _responses;

    /// <summary>How many entries answer (all but its notifications): what the batch's reply settles in flight.</summary>
    public int Requests { get; private set; }

    /// <summary>One more dispatched request whose response is awaited.</summary>
    public void Expect()
    {
        _outstanding++;
        Requests++;
    }

    /// <summary>A response known at once (an invalid request, an unknown method).</summary>
    public void AddImmediate(byte[] response)
    {
        _responses.Add(response);
        Requests++;
    }

    /// <summary>An awaited response arrived; true when it completes the batch (never before <see cref="Seal"/>).</summary>
    public bool Complete(byte[] response)
    {
        _responses.Add(response);
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
}
