namespace ActorRpc.Actors.Protocol;

/// <summary>
/// One request object of a message, as parsed: raw UTF-8 slices of the payload for the id and
/// params (so the id goes back byte for byte, and params are bound only by the handler).
/// </summary>
/// <param name="Id">The raw JSON of the id member; empty when the member is absent (a notification).</param>
/// <param name="Method">The method name, when it was a string.</param>
/// <param name="Params">The raw JSON of the params array or object; empty when absent.</param>
/// <param name="Invalid">Why the object is not a valid request, or null when it is.</param>
/// <param name="Response">
/// Not <see cref="JsonRpcResponseKind.None"/> when the object is a response of the client to a call
/// from the server (a <c>result</c> or <c>error</c> member and no <c>method</c>): <see cref="Params"/>
/// then holds the raw result value or error object. Responses are never answered.
/// </param>
internal readonly record struct JsonRpcEntry(
    ReadOnlyMemory<byte> Id, string? Method, ReadOnlyMemory<byte> Params, string? Invalid, JsonRpcResponseKind Response = JsonRpcResponseKind.None)
{
    /// <summary>A notification expects no response at all, not even an error.</summary>
    public bool IsNotification => Invalid is null && Id.IsEmpty && Response == JsonRpcResponseKind.None;

    /// <summary>A response of the client to a call from the server: routed to that call, never answered.</summary>
    public bool IsResponse => Response != JsonRpcResponseKind.None;

    public static JsonRpcEntry InvalidRequest(ReadOnlyMemory<byte> id, string reason) => new(id, null, default, reason);
}

/// <summary>What a response object from the client carries.</summary>
internal enum JsonRpcResponseKind : byte
{
    /// <summary>Not a response: a request, a notification or an invalid request.</summary>
    None,

    /// <summary>A <c>result</c> (the entry's Params is its raw value).</summary>
    Result,

    /// <summary>An <c>error</c> object (the entry's Params is its raw object).</summary>
    Error,

    /// <summary>
    /// Looks like a response (no <c>method</c>, a <c>result</c> or an <c>error</c>) but breaks the
    /// specification's section 5: both members, an error that is not an object, no <c>"jsonrpc": "2.0"</c>.
    /// </summary>
    Malformed,
}

/// <summary>What a whole WebSocket message or POST body turned out to be.</summary>
internal enum JsonRpcMessageKind
{
    /// <summary>One request object (possibly invalid).</summary>
    Single,

    /// <summary>A non-empty array of entries within the batch limit.</summary>
    Batch,

    /// <summary>Not JSON at all: answered by one -32700 with id null.</summary>
    ParseError,

    /// <summary>Valid JSON that cannot be a batch (empty, or longer than the limit): one -32600.</summary>
    InvalidBatch,
}

/// <summary>The parse of one message. Entries point into the payload, which must stay unchanged while they are used.</summary>
internal readonly record struct JsonRpcMessage(JsonRpcMessageKind Kind, JsonRpcEntry Single, JsonRpcEntry[]? Batch, string? Error)
{
    public static JsonRpcMessage ParseError(string detail) => new(JsonRpcMessageKind.ParseError, default, null, detail);

    public static JsonRpcMessage InvalidBatch(string detail) => new(JsonRpcMessageKind.InvalidBatch, default, null, detail);
}
