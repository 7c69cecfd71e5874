using System.Text.Json;

namespace ActorRpc.Client;

/// <summary>
/// An error answer: the server (or, for a client-side method, this client's own handler) answered
/// the call with a JSON-RPC error object. <see cref="Exception.Message"/> is the error's message.
/// </summary>
/// <remarks>
/// A client-side method (see <see cref="ActorRpcClient.AddMethod"/>) may throw it to answer the
/// server with its own <see cref="Code"/>, message and <see cref="ErrorData"/>; keep application
/// codes outside the reserved range -32768..-32000 (or use the server-defined -32099..-32000).
/// </remarks>
public class RpcCallException : Exception
{
    /// <summary>Creates an error with <paramref name="code"/>, <paramref name="message"/> and optional <paramref name="data"/>.</summary>
    /// <param name="code">The JSON-RPC error code.</param>
    /// <param name="message">The error's message.</param>
    /// <param name="data">The error's <c>data</c> member, or null when it has none.</param>
    public RpcCallException(int code, string message, JsonElement? data = null)
        : base(message)
    {
        Code = code;
        ErrorData = data;
    }

    /// <summary>The JSON-RPC error code, such as -32601 (method not found) or -32010 (authentication required).</summary>
    public int Code { get; }

    /// <summary>The error's <c>data</c> member (an independent copy), or null when the error has none.</summary>
    public JsonElement? ErrorData { get; }

    /// <summary>
    /// The error's <c>data</c> member, as the client's contract names it: the same value as
    /// <see cref="ErrorData"/> (the server's <c>RpcException</c> name). It hides
    /// <see cref="Exception.Data"/> only where the exception is typed as <see cref="RpcCallException"/>;
    /// as an <see cref="Exception"/> (a logger, say) it is still the dictionary.
    /// </summary>
    public new JsonElement? Data => ErrorData;
}
