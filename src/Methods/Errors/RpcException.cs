namespace ActorRpc;

/// <summary>
/// Thrown by a handler to answer its request with a specific JSON-RPC error object instead of
/// the generic internal error. The message and <see cref="ErrorData"/> are sent to the client
/// as they are, so they must not contain anything secret.
/// </summary>
/// <remarks>
/// Codes must be server-defined (-32099..-32000) or outside the range the specification reserves
/// (-32768..-32000); the protocol's own codes are produced by ActorRpc itself, except invalid
/// params, which handlers raise with <see cref="RpcInvalidParamsException"/>. Of the server-defined
/// codes ActorRpc itself answers -32000 (server busy), -32001 (request timed out), -32010
/// (authentication required), -32011 (not permitted) and -32029 (too many requests): a handler may raise them too, but its clients could not tell the two apart, so pick
/// others for your own errors.
/// </remarks>
public class RpcException : Exception
{
    /// <summary>The lowest code of the band the specification reserves.</summary>
    public const int ReservedRangeStart = -32768;

    /// <summary>The highest code of the band the specification reserves.</summary>
    public const int ReservedRangeEnd = -32000;

    /// <summary>The lowest server-defined code.</summary>
    public const int ServerDefinedRangeStart = -32099;

    /// <summary>The highest server-defined code.</summary>
    public const int ServerDefinedRangeEnd = -32000;

    /// <summary>Creates an error with an application code, a message and optional data.</summary>
    /// <param name="code">
    /// A server-defined code (-32099..-32000; ActorRpc itself uses -32000, -32001, -32010, -32011 and -32029, so pick
    /// others) or one outside -32768..-32000.
    /// </param>
    /// <param name="message">A short, client-facing description.</param>
    /// <param name="data">Optional structured detail, serialized with the server's JSON options.</param>
    public RpcException(int code, string message, object? data = null)
        : base(message)
    {
        if (!IsApplicationCode(code))
        {
            throw new ArgumentOutOfRangeException(
                nameof(code),
                code,
                $"Error code {code} is reserved by JSON-RPC 2.0; use -32099..-32000 or a code outside -32768..-32000.");
        }

        Code = code;
        ErrorData = data;
    }

    /// <summary>Used by ActorRpc for the protocol codes that handlers may not choose directly.</summary>
    private protected RpcException(JsonRpcErrorCode code, string message, object? data)
        : base(message)
    {
        Code = (int)code;
        ErrorData = data;
    }

    /// <summary>The JSON-RPC error code sent to the client.</summary>
    public int Code { get; }

    /// <summary>The optional <c>data</c> member of the error object.</summary>
    public object? ErrorData { get; }

    /// <summary>Whether an application may raise <paramref name="code"/> itself.</summary>
    public static bool IsApplicationCode(int code) =>
        code is >= ServerDefinedRangeStart and <= ServerDefinedRangeEnd
        || code < ReservedRangeStart
        || code > ReservedRangeEnd;
}

/// <summary>
/// Thrown (by ActorRpc's binder or by a handler) when the parameters of a call are wrong;
/// becomes error -32602 with this exception's message.
/// </summary>
public sealed class RpcInvalidParamsException : RpcException
{
    /// <summary>Creates an invalid-params error whose message says what is wrong.</summary>
    public RpcInvalidParamsException(string message, object? data = null)
        : base(JsonRpcErrorCode.InvalidParams, message, data)
    {
    }
}
