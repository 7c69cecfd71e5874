using ActorRpc.Methods.Definition;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers RPC methods with the service collection.</summary>
public static class RpcMethodsServiceCollectionExtensions
{
    /// <summary>
    /// Adds methods to the node's catalog. May be called more than once; all registrations are
    /// combined, and the catalog is built (and checked for duplicate names) at start-up.
    /// </summary>
    public static IServiceCollection AddRpcMethods(this IServiceCollection services, Action<RpcMethodsBuilder> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        var descriptor = services.FirstOrDefault(d => d.ServiceType == typeof(RpcMethodsBuilder));
        var builder = descriptor?.ImplementationInstance as RpcMethodsBuilder;
        if (builder is null)
        {
            builder = new RpcMethodsBuilder();
            services.AddSingleton(builder);
            services.AddOptions<RpcMethodsOptions>();
            services.AddSingleton(sp => sp.GetRequiredService<RpcMethodsBuilder>()
                .Build(sp, sp.GetRequiredService<IOptions<RpcMethodsOptions>>().Value));
        }

        configure(builder);
        return services;
    }
}
