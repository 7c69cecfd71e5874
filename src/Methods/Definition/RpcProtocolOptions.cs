namespace ActorRpc;

/// <summary>How strictly requests are read. Bound from <c>ActorRpc:Protocol</c>.</summary>
public sealed class RpcProtocolOptions
{
    /// <summary>
    /// The dialect clients speak. <b>Default:</b> <see cref="RpcCompatibility.None"/> (strict JSON-RPC 2.0).
    /// </summary>
    public RpcCompatibility Compatibility { get; set; } = RpcCompatibility.None;
}

/// <summary>Which clients' departures from JSON-RPC 2.0 the server accepts.</summary>
public enum RpcCompatibility
{
    /// <summary>
    /// Strict JSON-RPC 2.0: <c>params</c> must be an array or an object, and a request with any other
    /// <c>params</c> is answered with -32600 (Invalid Request).
    /// </summary>
    None,

    /// <summary>
    /// What the clients of Python's aiohttp-json-rpc send (its Python client and its browser
    /// <c>rpc.js</c>): a scalar <c>params</c> (string, number or boolean) is read as a one-element
    /// positional array (<c>subscribe "news"</c> is <c>subscribe ["news"]</c>), <c>"params": null</c>
    /// as no params, and the prefix separator is <c>__</c> unless
    /// <see cref="RpcMethodsOptions.PrefixSeparator"/> says otherwise.
    /// </summary>
    AiohttpJsonRpc,
}
