using ActorRpc.Gateway.Hosting;
using ActorRpc.Tests.Infrastructure;
using ActorRpc.Tests.Security;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace ActorRpc.Tests.Hosting;

/// <summary>
/// Authorization settings that cannot work fail start-up, before the node listens: an empty
/// <c>ActorRpc:Authorization:PermissionClaimType</c>, and a guard naming a policy that does not exist.
/// </summary>
public sealed class AuthorizationStartupSpec
{
    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    public void Validate_BlankPermissionClaimType_FailsNamingTheKey(string claimType)
    {
        var options = new ActorRpcOptions();
        options.Authorization.PermissionClaimType = claimType;

        var result = new ActorRpcOptionsValidator().Validate(null, options);

        Assert.True(result.Failed);
        Assert.Contains("ActorRpc:Authorization:PermissionClaimType", result.FailureMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_DefaultPermissionClaimType_Succeeds() =>
        Assert.True(new ActorRpcOptionsValidator().Validate(null, new ActorRpcOptions()).Succeeded);

    [Fact]
    public async Task StartAsync_BlankPermissionClaimType_FailsNamingTheKey()
    {
        // Kestrel's limits are read from ActorRpcOptions when the application is built, so the
        // validation fails there already; either way the node never starts.
        var error = await Assert.ThrowsAsync<OptionsValidationException>(async () =>
        {
            await using var app = LibraryApp.Build(
                builder => builder.Services.AddActorRpc(options => options.Authorization.PermissionClaimType = " ").AddMethod("ping", () => "pong"),
                web => web.MapActorRpc("/rpc"),
                [],
                out _);
            await app.StartAsync().DefaultTimeout();
        });
        Assert.Contains("ActorRpc:Authorization:PermissionClaimType", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StartAsync_UnknownPolicyName_FailsNamingItBeforeListening()
    {
        await using var app = GuardApp.Build(rpc => rpc.AddMethod("guarded", () => 1).RequireAuthorization("no-such-policy"));

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => app.StartAsync().DefaultTimeout());
        Assert.Contains("method 'guarded'", error.Message, StringComparison.Ordinal);
        Assert.Contains("no-such-policy", error.Message, StringComparison.Ordinal);

        // Kestrel fills in its addresses when it starts; checked while the host was starting, it never did.
        Assert.Empty(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses);
    }
}
