using ActorRpc.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace ActorRpc.Tests.Gateway;

/// <summary>A node with the demo methods and the methods of the specification's examples.</summary>
public sealed class SpecServerFixture : RpcServerFixture
{
    protected override void Configure(WebApplicationBuilder builder) =>
        builder.Services.AddActorRpc().AddMethods<SpecExampleMethods>();
}
