namespace ActorRpc;

/// <summary>
/// What the built-in <c>rpc.discover</c> says about the node (<c>ActorRpc:Discovery</c>): the
/// <c>info</c> object of its OpenRPC document, and whether it answers at all. See docs/openrpc.md.
/// </summary>
public sealed class RpcDiscoveryOptions
{
    /// <summary>The <see cref="Version"/> used when neither it nor the entry assembly says one.</summary>
    public const string DefaultVersion = "1.0.0";

    /// <summary>
    /// Whether the node serves <c>rpc.discover</c>. When false the method does not exist: calls get
    /// -32601 and <c>get_methods</c> does not list it. <b>Default:</b> true.
    /// </summary>
    public bool Enabled { get; set; } = true;

    /// <summary>
    /// The document's <c>info.title</c>. <b>Default:</b> null, which means the entry assembly's name
    /// (<c>ActorRpc</c> when there is none).
    /// </summary>
    public string? Title { get; set; }

    /// <summary>
    /// The document's <c>info.version</c>: the version of the API, not of ActorRpc. <b>Default:</b>
    /// null, which means the entry assembly's informational version without build metadata
    /// (<c>1.2.0</c> of <c>1.2.0+9f1c2ab</c>), else <see cref="DefaultVersion"/>.
    /// </summary>
    public string? Version { get; set; }

    /// <summary>The document's <c>info.description</c>; null to leave it out. <b>Default:</b> null.</summary>
    public string? Description { get; set; }
}
