using ActorRpc.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace ActorRpc.Tests.Gateway;

/// <summary>The byte budgets and the message deadline: documented defaults, and start-up refuses values that cannot work, naming the key.</summary>
public sealed class ByteBudgetOptionsSpec
{
    [Fact]
    public void Defaults_AreTheDocumentedOnes()
    {
        var limits = new RpcLimitsOptions();
        Assert.Equal(16L * 1024 * 1024, limits.MaxInFlightBytes);
        Assert.Equal(16L * 1024 * 1024, limits.MaxOutboundBytes);
        Assert.Equal(1024L * 1024 * 1024, limits.MaxNodeBufferedBytes);
        Assert.Equal(16 * 1024 * 1024, limits.MaxResponseSize);
        Assert.Equal(TimeSpan.FromSeconds(30), new RpcEndpointOptions().MessageTimeout);
    }

    [Theory]
    [InlineData("--ActorRpc:Limits:MaxInFlightBytes=1048575", "ActorRpc:Limits:MaxInFlightBytes")] // below MaxMessageSize (1 MiB)
    [InlineData("--ActorRpc:Limits:MaxOutboundBytes=1000", "ActorRpc:Limits:MaxOutboundBytes")]
    [InlineData("--ActorRpc:Limits:MaxNodeBufferedBytes=8388608", "ActorRpc:Limits:MaxNodeBufferedBytes")] // below the per-connection 16 MiB
    [InlineData("--ActorRpc:Limits:MaxResponseSize=100", "ActorRpc:Limits:MaxResponseSize")]
    [InlineData("--ActorRpc:Endpoint:MessageTimeout=00:00:00", "ActorRpc:Endpoint:MessageTimeout")]
    public async Task InvalidSetting_FailsAtStartupNamingIt(string setting, string key)
    {
        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => RpcServer.StartAsync(null, setting));
        Assert.Contains(key, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task NodeBufferBudget_RegisteredOncePerNode_WithTheConfiguredLimit()
    {
        await using var server = await RpcServer.StartAsync(null, "--ActorRpc:Limits:MaxNodeBufferedBytes=536870912");
        var budget = server.App.Services.GetRequiredService<ActorRpc.Gateway.Transport.NodeBufferBudget>();
        Assert.Same(budget, server.App.Services.GetRequiredService<ActorRpc.Gateway.Transport.NodeBufferBudget>());
        Assert.Equal(536870912, budget.Limit);
        Assert.Equal(0, budget.Count);
    }
}
