using Akka.Hosting;
using ActorRpc;
using ActorRpc.Actors;
using ActorRpc.Gateway.Authentication;
using ActorRpc.Gateway.Hosting;
using ActorRpc.Gateway.Transport;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Adds ActorRpc to an ASP.NET Core application's services.</summary>
public static class ActorRpcServiceCollectionExtensions
{
    /// <summary>
    /// Adds the ActorRpc server: options bound from the <c>ActorRpc</c> configuration section (then
    /// changed by <paramref name="configure"/>), the services its endpoints and actors share, and,
    /// unless the application already registered an actor system with <c>AddAkka(...)</c>, an actor
    /// system of its own, configured from the <c>Cluster</c> section. Map the endpoints with
    /// <c>app.MapActorRpc("/rpc")</c>. Calling it again is harmless: every call returns a builder of
    /// the same registrations, and each <paramref name="configure"/> runs in turn.
    /// </summary>
    /// <remarks>
    /// An application with its own actor system calls <c>AddAkka(...)</c> first, with
    /// <c>.WithActorRpc()</c> in it; ActorRpc then starts no system of its own. Start-up fails with a
    /// message saying so when an <c>AddAkka(...)</c> comes after this call.
    /// It also sets Kestrel's <c>Limits.MaxConcurrentUpgradedConnections</c> and
    /// <c>Limits.MinRequestBodyDataRate</c> from <c>ActorRpc:Endpoint:MaxConnections</c> and
    /// <c>ActorRpc:Endpoint:MinRequestBodyDataRate</c>, where the application left Kestrel's defaults
    /// (docs/limits.md).
    /// </remarks>
    /// <param name="services">The application's services.</param>
    /// <param name="configure">Changes the options after configuration is bound; null for none.</param>
    /// <returns>A builder to add methods and topics with.</returns>
    public static IActorRpcBuilder AddActorRpc(this IServiceCollection services, Action<ActorRpcOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        if (!services.Any(d => d.ServiceType == typeof(ActorRpcServicesMarker)))
        {
            AddCore(services);
        }

        if (configure is not null)
        {
            services.Configure(configure);
        }

        return new ActorRpcBuilder(services);
    }

    private static void AddCore(IServiceCollection services)
    {
        var ownsActorSystem = !services.Any(d => d.ServiceType == typeof(AkkaConfigurationBuilder));
        services.AddSingleton(new ActorRpcServicesMarker(services, ownsActorSystem));

        services.AddOptions<ActorRpcOptions>().BindConfiguration(ActorRpcOptions.SectionName).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ActorRpcOptions>, ActorRpcOptionsValidator>());
        services.AddOptions<ClusterNodeOptions>().BindConfiguration(ClusterNodeOptions.SectionName).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ClusterNodeOptions>, ClusterNodeOptionsValidator>());

        services.AddOptions<ActorRpcOptions>().PostConfigure(options =>
        {
            // Under a compatibility profile the separator follows the profile unless it was set.
            options.Methods.PrefixSeparator ??= options.Protocol.Compatibility == RpcCompatibility.AiohttpJsonRpc
                ? RpcMethodsOptions.AiohttpPrefixSeparator
                : RpcMethodsOptions.DefaultPrefixSeparator;

            // A list the binder appends to cannot start full: configured subprotocols replace the defaults.
            if (options.Endpoint.SubProtocols.Count == 0)
            {
                foreach (var subProtocol in RpcEndpointOptions.DefaultSubProtocols)
                {
                    options.Endpoint.SubProtocols.Add(subProtocol);
                }
            }
        });

        // Each component reads its own part of ActorRpcOptions, so none of them depends on the whole.
        services.AddSingleton<IOptions<RpcLimitsOptions>>(sp => Options.Options.Create(sp.GetRequiredService<IOptions<ActorRpcOptions>>().Value.Limits));
        services.AddSingleton<IOptions<RpcEndpointOptions>>(sp => Options.Options.Create(sp.GetRequiredService<IOptions<ActorRpcOptions>>().Value.Endpoint));
        services.AddSingleton<IOptions<RpcProtocolOptions>>(sp => Options.Options.Create(sp.GetRequiredService<IOptions<ActorRpcOptions>>().Value.Protocol));
        services.AddSingleton<IOptions<RpcMethodsOptions>>(sp => Options.Options.Create(sp.GetRequiredService<IOptions<ActorRpcOptions>>().Value.Methods));
        services.AddSingleton<IOptions<RpcAuthorizationOptions>>(sp => Options.Options.Create(sp.GetRequiredService<IOptions<ActorRpcOptions>>().Value.Authorization));
        services.AddSingleton<IOptions<RpcDiscoveryOptions>>(sp => Options.Options.Create(sp.GetRequiredService<IOptions<ActorRpcOptions>>().Value.Discovery));

        // Who the caller is: read from HttpContext.User at the upgrade or POST; `authenticate` asks the
        // default scheme; JwtBearer also reads ActorRpc endpoints' access_token query parameter.
        services.AddSingleton<ActorRpc.Actors.Sessions.ISessionAuthenticator, SchemeTokenAuthenticator>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IPostConfigureOptions<Microsoft.AspNetCore.Authentication.JwtBearer.JwtBearerOptions>, AccessTokenQuery>());
        services.AddHostedService<GuardPolicyStartupCheck>();

        services.AddActorRpcActors();
        services.AddSingleton<ConnectionRegistry>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IConfigureOptions<KestrelServerOptions>, KestrelLimitsSetup>());
        services.AddSingleton(sp => new NodeBufferBudget(sp.GetRequiredService<IOptions<RpcLimitsOptions>>().Value.MaxNodeBufferedBytes));
        services.AddSingleton<NodeReadiness>();
        services.AddSingleton<NodeShutdown>();
        services.AddSingleton<INodeShutdownParticipant>(sp => sp.GetRequiredService<NodeShutdown>());
        services.AddHostedService(sp => sp.GetRequiredService<NodeShutdown>());
        services.AddHostedService<ConnectionDeadlineSweeper>();
        services.AddHostedService<ActorRpcStartupCheck>();
        services.AddHostedService<CookieOriginStartupCheck>();
        services.AddHealthChecks()
            .AddCheck<MethodRoutersHealthCheck>("actorrpc-method-routers", tags: [ActorRpcHealthChecks.ReadyTag])
            .AddCheck<NodeReadinessHealthCheck>("actorrpc-cluster-member", tags: [ActorRpcHealthChecks.ReadyTag]);

        if (ownsActorSystem)
        {
            services.AddAkka(ClusterNodeOptions.DefaultActorSystemName, (akka, provider) =>
            {
                akka.ConfigureLoggers(loggers =>
                {
                    loggers.ClearLoggers();
                    loggers.AddLoggerFactory();
                });
                akka.WithActorRpcCluster(provider.GetRequiredService<IOptions<ClusterNodeOptions>>().Value).WithActorRpc();
            });
        }
    }
}
