namespace ActorRpc;

/// <summary>
/// Everything ActorRpc's server side can be told, bound from the <c>ActorRpc</c> configuration
/// section (appsettings, environment <c>ActorRpc__Limits__MaxMessageSize</c>, command line
/// <c>--ActorRpc:Limits:MaxMessageSize</c>), then changed by the delegate given to
/// <c>AddActorRpc</c>. Validated when the application starts. See docs/configuration.md.
/// </summary>
public sealed class ActorRpcOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "ActorRpc";

    /// <summary>
    /// Whether an unexpected handler exception shows its type and message in the error's <c>data</c>.
    /// Stack traces are only ever logged. <b>Default:</b> false (clients see "Internal error").
    /// </summary>
    public bool DetailedErrors { get; set; }

    /// <summary>Limits on what one client may send and hold (<c>ActorRpc:Limits</c>).</summary>
    public RpcLimitsOptions Limits { get; } = new();

    /// <summary>The WebSocket and HTTP endpoints (<c>ActorRpc:Endpoint</c>).</summary>
    public RpcEndpointOptions Endpoint { get; } = new();

    /// <summary>Method naming and JSON serialization (<c>ActorRpc:Methods</c>).</summary>
    public RpcMethodsOptions Methods { get; } = new();

    /// <summary>How strictly requests are read (<c>ActorRpc:Protocol</c>).</summary>
    public RpcProtocolOptions Protocol { get; } = new();

    /// <summary>How guards read the caller's user (<c>ActorRpc:Authorization</c>).</summary>
    public RpcAuthorizationOptions Authorization { get; } = new();

    /// <summary>What <c>rpc.discover</c> says about the node, and whether it answers (<c>ActorRpc:Discovery</c>).</summary>
    public RpcDiscoveryOptions Discovery { get; } = new();
}
