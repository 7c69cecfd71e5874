using ActorRpc.Methods.Topics;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Declares topics with the service collection.</summary>
public static class RpcTopicsServiceCollectionExtensions
{
    /// <summary>Adds topics to the node's catalog; may be called more than once.</summary>
    public static IServiceCollection AddRpcTopics(this IServiceCollection services, Action<RpcTopicsBuilder> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        var builder = services.FirstOrDefault(d => d.ServiceType == typeof(RpcTopicsBuilder))?.ImplementationInstance as RpcTopicsBuilder;
        if (builder is null)
        {
            builder = new RpcTopicsBuilder();
            services.AddSingleton(builder);
            services.AddSingleton(sp => sp.GetRequiredService<RpcTopicsBuilder>().Build());
        }

        configure(builder);
        return services;
    }
}
