namespace ActorRpc.Actors.Configuration;

/// <summary>Server-wide behaviour of ActorRpc. Bound from the <c>ActorRpc</c> configuration section.</summary>
public sealed class RpcServerOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "ActorRpc";

    /// <summary>
    /// Whether an unexpected handler exception shows its type and message in the error's <c>data</c>.
    /// Stack traces are only ever logged. <b>Default:</b> false (clients see "Internal error").
    /// </summary>
    public bool DetailedErrors { get; set; }
}
