using ActorRpc.Actors.Sessions;

namespace ActorRpc;

/// <summary>
/// The configuration keys of the limits, as clients and operators read them in error data, error
/// messages, close reasons and logs: built from the option names, so a renamed option cannot leave
/// a stale key behind in the text.
/// </summary>
internal static class LimitKeys
{
    /// <summary>The section every limit lives in.</summary>
    public const string Section = "ActorRpc:Limits";

    public const string MaxNodeHandlers = Section + ":" + nameof(RpcLimitsOptions.MaxNodeHandlers);
    public const string MessagesPerSecond = Section + ":" + nameof(RpcLimitsOptions.MessagesPerSecond);
    public const string MaxResponseSize = Section + ":" + nameof(RpcLimitsOptions.MaxResponseSize);
    public const string MaxSubscriptionsPerSession = Section + ":" + nameof(RpcLimitsOptions.MaxSubscriptionsPerSession);
    public const string MaxPatternTopics = Section + ":" + nameof(RpcLimitsOptions.MaxPatternTopics);
    public const string MaxOutboundQueue = Section + ":" + nameof(RpcLimitsOptions.MaxOutboundQueue);
    public const string MaxOutboundBytes = Section + ":" + nameof(RpcLimitsOptions.MaxOutboundBytes);
    public const string MaxClientCallsInFlight = Section + ":" + nameof(RpcLimitsOptions.MaxClientCallsInFlight);
    public const string ClientCallTimeout = Section + ":" + nameof(RpcLimitsOptions.ClientCallTimeout);
    public const string MaxNodeBufferedBytes = Section + ":" + nameof(RpcLimitsOptions.MaxNodeBufferedBytes);

    /// <summary>The key of the setting that refused a notification (<see cref="OutboundLimit.None"/> reads as MaxOutboundQueue).</summary>
    public static string Of(OutboundLimit limit) => limit switch
    {
        OutboundLimit.MaxOutboundBytes => MaxOutboundBytes,
        OutboundLimit.MaxNodeBufferedBytes => MaxNodeBufferedBytes,
        _ => MaxOutboundQueue,
    };
}
