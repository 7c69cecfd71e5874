using System.Text.Json;

namespace ActorRpc;

/// <summary>
/// The client answered a call from the server with a JSON-RPC error object: its <c>code</c> is
/// <see cref="Code"/>, its <c>message</c> this exception's <see cref="Exception.Message"/>, its
/// <c>data</c> <see cref="ErrorData"/>.
/// </summary>
/// <remarks>
/// The message is the client's own text: treat it as untrusted input before logging or showing it.
/// </remarks>
public sealed class RpcClientException : Exception
{
    /// <summary>Creates the exception for an error the client answered.</summary>
    /// <param name="method">The client-side method that was called.</param>
    /// <param name="code">The error's <c>code</c>.</param>
    /// <param name="message">The error's <c>message</c>.</param>
    /// <param name="errorData">The error's <c>data</c>, when it had any.</param>
    public RpcClientException(string method, int code, string message, JsonElement? errorData = null)
        : base(message)
    {
        Method = method;
        Code = code;
        ErrorData = errorData;
    }

    /// <summary>The client-side method that was called.</summary>
    public string Method { get; }

    /// <summary>The JSON-RPC error code the client answered.</summary>
    public int Code { get; }

    /// <summary>The <c>data</c> member of the client's error object; null when it had none.</summary>
    public JsonElement? ErrorData { get; }
}
