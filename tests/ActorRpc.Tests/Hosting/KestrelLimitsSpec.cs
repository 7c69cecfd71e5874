using ActorRpc.Testing;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace ActorRpc.Tests.Hosting;

/// <summary>
/// Issue 12: AddActorRpc sets Kestrel's own limits from ActorRpc's options (upgraded connections from
/// Endpoint:MaxConnections, the request body rate from Endpoint:MinRequestBodyDataRate), except
/// where the application set its own. Read from the options the running Kestrel was built with.
/// </summary>
public sealed class KestrelLimitsSpec
{
    [Fact]
    public async Task AddActorRpc_KestrelDefaults_LimitsFromOurOptions()
    {
        await using var app = await ActorRpcTestServer.StartAsync(_ => { }, options =>
        {
            options.Settings["ActorRpc:Endpoint:MaxConnections"] = "123";
            options.Settings["ActorRpc:Endpoint:MinRequestBodyDataRate"] = "1000";
        });

        var limits = KestrelLimits(app);
        Assert.Equal(123, limits.MaxConcurrentUpgradedConnections);
        Assert.Equal(246, limits.MaxConcurrentConnections);
        Assert.Equal(1000, limits.MinRequestBodyDataRate!.BytesPerSecond);
        Assert.Equal(TimeSpan.FromSeconds(5), limits.MinRequestBodyDataRate.GracePeriod);
    }

    [Fact]
    public async Task AddActorRpc_Defaults_MaxConnectionsAndKestrelsOwnRate()
    {
        await using var app = await ActorRpcTestServer.StartAsync(_ => { });

        var limits = KestrelLimits(app);
        Assert.Equal(20_000, limits.MaxConcurrentUpgradedConnections);
        Assert.Equal(240, limits.MinRequestBodyDataRate!.BytesPerSecond);
    }

    [Fact]
    public async Task AddActorRpc_RateZero_BodyRateOff()
    {
        await using var app = await ActorRpcTestServer.StartAsync(_ => { }, options => options.Settings["ActorRpc:Endpoint:MinRequestBodyDataRate"] = "0");

        Assert.Null(KestrelLimits(app).MinRequestBodyDataRate);
    }

    [Fact]
    public async Task AddActorRpc_ApplicationSetItsOwn_TheApplicationsKept()
    {
        await using var app = await ActorRpcTestServer.StartAsync(_ => { }, options =>
        {
            options.Settings["Kestrel:Limits:MaxConcurrentUpgradedConnections"] = "7";
            options.Settings["Kestrel:Limits:MaxConcurrentConnections"] = "9";
            options.Settings["ActorRpc:Endpoint:MaxConnections"] = "123";
            options.Settings["ActorRpc:Endpoint:MinRequestBodyDataRate"] = "1000";

            // Registered before ActorRpc, as an application does (the kit adds ActorRpc after this).
            options.ConfigureBuilder = builder =>
            {
                // Kestrel binds its section only when asked to, as its documentation shows.
                builder.Services.Configure<KestrelServerOptions>(builder.Configuration.GetSection("Kestrel"));
                builder.WebHost.ConfigureKestrel(kestrel => kestrel.Limits.MinRequestBodyDataRate = new MinDataRate(100, TimeSpan.FromSeconds(10)));
            };
        });

        var limits = KestrelLimits(app);
        Assert.Equal(7, limits.MaxConcurrentUpgradedConnections);
        Assert.Equal(9, limits.MaxConcurrentConnections);
        Assert.Equal(100, limits.MinRequestBodyDataRate!.BytesPerSecond);
        Assert.Equal(TimeSpan.FromSeconds(10), limits.MinRequestBodyDataRate.GracePeriod);
    }

    private static KestrelServerLimits KestrelLimits(ActorRpcTestServer app) =>
        app.Services.GetRequiredService<IOptions<KestrelServerOptions>>().Value.Limits;
}
