using ActorRpc.Methods;
using ActorRpc;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>
/// Declares the topics clients may subscribe to, as aiohttp-json-rpc's <c>add_topics</c> does:
/// exact names, or patterns ending in <c>*</c> (<c>orders.*</c>) for families of dynamic topics.
/// Only declared topics can be subscribed to or published on.
/// </summary>
public static class ActorRpcTopicsBuilderExtensions
{
    /// <summary>Declares one topic.</summary>
    /// <param name="builder">The ActorRpc builder.</param>
    /// <param name="name">The topic: at most 256 characters, no <c>*</c>.</param>
    /// <param name="configure">Sets the topic's options; null keeps the defaults.</param>
    /// <returns>The same builder.</returns>
    public static IActorRpcBuilder AddTopic(this IActorRpcBuilder builder, string name, Action<RpcTopicOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        BuilderRegistrations.Topics(builder.Services).AddTopic(name, Configure(configure));
        return builder;
    }

    /// <summary>Declares every topic that starts with <paramref name="pattern"/> minus its trailing <c>*</c>.</summary>
    /// <param name="builder">The ActorRpc builder.</param>
    /// <param name="pattern">A prefix ending in its only <c>*</c>, as in <c>orders.*</c>.</param>
    /// <param name="configure">Sets the options of every topic the pattern covers; null keeps the defaults.</param>
    /// <returns>The same builder.</returns>
    public static IActorRpcBuilder AddTopicPattern(this IActorRpcBuilder builder, string pattern, Action<RpcTopicOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var options = Configure(configure);
        if (options.RetainLatest)
        {
            // Every topic of a pattern would keep its last notification for good, and clients choose the names.
            throw new ArgumentException("RetainLatest is for topics declared with AddTopic; a pattern's topics are named by clients, so their state would grow without bound.", nameof(configure));
        }

        BuilderRegistrations.Topics(builder.Services).AddTopicPattern(pattern, options);
        return builder;
    }

    private static RpcTopicOptions Configure(Action<RpcTopicOptions>? configure)
    {
        var options = new RpcTopicOptions();
        configure?.Invoke(options);
        return options;
    }
}
