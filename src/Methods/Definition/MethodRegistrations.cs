using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace ActorRpc.Methods.Definition;

/// <summary>
/// Keeps the one <see cref="RpcMethodsBuilder"/> of a service collection, and builds the node's
/// catalog from it when the catalog is first resolved (at start-up, where duplicate names fail).
/// </summary>
internal static class MethodRegistrations
{
    public static RpcMethodsBuilder Get(IServiceCollection services)
    {
        if (services.FirstOrDefault(d => d.ServiceType == typeof(RpcMethodsBuilder))?.ImplementationInstance is RpcMethodsBuilder existing)
        {
            return existing;
        }

        var builder = new RpcMethodsBuilder();
        services.AddSingleton(builder);
        services.AddOptions<RpcMethodsOptions>();
        services.AddSingleton(sp => sp.GetRequiredService<RpcMethodsBuilder>()
            .Build(sp, sp.GetRequiredService<IOptions<RpcMethodsOptions>>().Value));
        return builder;
    }
}
