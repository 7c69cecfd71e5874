using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.Options;

namespace ActorRpc.DemoHost;

/// <summary>
/// Authentication and authorization of the demo node. JWT bearer tokens are on only when the
/// configuration has an <c>Authentication:Schemes:Bearer</c> section (ASP.NET Core binds
/// <c>ValidIssuer</c>, <c>ValidAudiences</c> and <c>SigningKeys</c> from it itself; the
/// Development environment's appsettings has one with a development-only key). Without it the node
/// has no authentication scheme: every caller is anonymous, <c>[Authorize]</c> methods answer
/// -32010, and <see cref="DemoPolicies.Publish"/> lets anyone publish.
/// </summary>
public static class DemoAuthentication
{
    /// <summary>The configuration section whose presence turns JWT bearer authentication on.</summary>
    public const string BearerSection = "Authentication:Schemes:Bearer";

    /// <summary>Whether <paramref name="configuration"/> turns JWT bearer authentication on.</summary>
    public static bool IsConfigured(IConfiguration configuration) => configuration.GetSection(BearerSection).Exists();

    /// <summary>Adds JWT bearer authentication when configured, and authorization with the demo's policies in any case.</summary>
    public static WebApplicationBuilder AddDemoAuthentication(this WebApplicationBuilder builder)
    {
        var authenticates = IsConfigured(builder.Configuration);
        if (authenticates)
        {
            // The only scheme, so ASP.NET Core makes it the default: the one ActorRpc authenticates
            // connections and `authenticate` calls with.
            builder.Services.AddAuthentication().AddJwtBearer();
        }

        // The policy reads the permission claim type from ActorRpc's own options, so a node that
        // renames it (ActorRpc:Authorization:PermissionClaimType) guards publish and [RequirePermission] alike.
        builder.Services.AddAuthorization();
        builder.Services.AddOptions<AuthorizationOptions>()
            .Configure<IOptions<ActorRpcOptions>>((authorization, rpc) => authorization.AddPolicy(
                DemoPolicies.Publish,
                policy => _ = authenticates
                    ? policy.RequireClaim(rpc.Value.Authorization.PermissionClaimType, DemoPolicies.PublishPermission)

                    // A policy needs at least one requirement; this one every caller meets.
                    : policy.RequireAssertion(_ => true)));
        return builder;
    }
}
