namespace ActorRpc;

/// <summary>
/// Declares an error a method may answer with, for <c>rpc.discover</c> to list in the method's
/// <c>errors</c>. It documents; it does not change what the method throws (an
/// <see cref="RpcException"/> with the same code does that). On a class, every method of the class
/// declares it; on an actor class, the actor-backed method does.
/// </summary>
/// <example>
/// <code>
/// [RpcMethod, ProducesRpcError(-32050, "Computer says no.")]
/// public static void ComputerSaysNo() => throw new RpcException(-32050, "Computer says no.");
/// </code>
/// </example>
[AttributeUsage(AttributeTargets.Method | AttributeTargets.Class, AllowMultiple = true, Inherited = true)]
public sealed class ProducesRpcErrorAttribute : Attribute
{
    /// <summary>Declares the error <paramref name="code"/> with <paramref name="message"/>.</summary>
    /// <param name="code">The error's code; server-defined codes are -32000..-32099 or outside the reserved range (docs/errors.md).</param>
    /// <param name="message">What the error's message says; not blank.</param>
    public ProducesRpcErrorAttribute(int code, string message)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(message);
        Code = code;
        Message = message;
    }

    /// <summary>The error's code.</summary>
    public int Code { get; }

    /// <summary>The error's message.</summary>
    public string Message { get; }
}
