namespace ActorRpc.Client;

/// <summary>Client-side methods: what the server may call (or notify) on this client.</summary>
public sealed partial class ActorRpcClient
{
    /// <summary>
    /// Adds a method the server may call (or notify) on this client, such as
    /// <c>client.AddMethod("confirm", (string question) => true)</c>. Params bind by position from
    /// an array or by name from an object; a <see cref="CancellationToken"/> parameter fires when the
    /// server cancels (<c>$/cancelRequest</c>) or the connection drops. The result (awaited when a task)
    /// is the answer; an <see cref="RpcCallException"/> the handler throws answers with its code,
    /// message and data; any other exception answers -32603 "Internal error" (details are only logged).
    /// Unknown methods are answered -32601, params that do not fit -32602.
    /// </summary>
    /// <param name="name">The method's name, as the server calls it (adding it again replaces it).</param>
    /// <param name="handler">The handler.</param>
    /// <returns>A handle: dispose it to remove the method.</returns>
    /// <exception cref="NotSupportedException">The client is connected over HTTP (the server cannot call it).</exception>
    public IDisposable AddMethod(string name, Delegate handler)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(handler);
        RequireWebSocket("Client-side methods");
        return _methods.Add(name, handler);
    }
}
