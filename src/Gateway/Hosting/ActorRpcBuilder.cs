namespace ActorRpc.Gateway.Hosting;

/// <summary>The builder <c>AddActorRpc()</c> returns; all it holds is the service collection the registrations go to.</summary>
internal sealed class ActorRpcBuilder(IServiceCollection services) : IActorRpcBuilder
{
    public IServiceCollection Services { get; } = services;
}
