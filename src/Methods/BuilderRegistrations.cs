using ActorRpc.Methods.Authorization;
using ActorRpc.Methods.Definition;
using ActorRpc.Methods.Topics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace ActorRpc.Methods;

/// <summary>
/// Keeps the one method builder and the one topic builder of a service collection, however many
/// times <c>AddActorRpc()</c> is called; the node's catalogs are built from them when first
/// resolved (at start-up, where duplicate method names fail).
/// </summary>
internal static class BuilderRegistrations
{
    public static RpcMethodsBuilder Methods(IServiceCollection services) => GetOrAdd(services, static () => new RpcMethodsBuilder(), static services =>
    {
        services.AddOptions<RpcMethodsOptions>();
        services.AddOptions<RpcAuthorizationOptions>();
        services.AddOptions<RpcDiscoveryOptions>();

        // Guards use the application's own authorization services and policies (AddAuthorization adds to these).
        services.AddAuthorization();
        services.AddSingleton(sp => RpcAuthorizer.Create(sp, sp.GetRequiredService<IOptions<RpcAuthorizationOptions>>().Value.PermissionClaimType));
        services.AddSingleton(sp => sp.GetRequiredService<RpcMethodsBuilder>().Build(sp, sp.GetRequiredService<IOptions<RpcMethodsOptions>>().Value));
    });

    public static RpcTopicsBuilder Topics(IServiceCollection services) => GetOrAdd(services, static () => new RpcTopicsBuilder(), static services =>
        services.AddSingleton(sp => sp.GetRequiredService<RpcTopicsBuilder>().Build()));

    private static TBuilder GetOrAdd<TBuilder>(IServiceCollection services, Func<TBuilder> create, Action<IServiceCollection> addCatalog)
        where TBuilder : class
    {
        if (services.FirstOrDefault(d => d.ServiceType == typeof(TBuilder))?.ImplementationInstance is TBuilder existing)
        {
            return existing;
        }

        var builder = create();
        services.AddSingleton(builder);
        addCatalog(services);
        return builder;
    }
}
