using Microsoft.Extensions.DependencyInjection;

namespace ActorRpc.Methods.Topics;

/// <summary>Keeps the one <see cref="RpcTopicsBuilder"/> of a service collection; the node's <see cref="TopicCatalog"/> is built from it.</summary>
internal static class TopicRegistrations
{
    public static RpcTopicsBuilder Get(IServiceCollection services)
    {
        if (services.FirstOrDefault(d => d.ServiceType == typeof(RpcTopicsBuilder))?.ImplementationInstance is RpcTopicsBuilder existing)
        {
            return existing;
        }

        var builder = new RpcTopicsBuilder();
        services.AddSingleton(builder);
        services.AddSingleton(sp => sp.GetRequiredService<RpcTopicsBuilder>().Build());
        return builder;
    }
}
