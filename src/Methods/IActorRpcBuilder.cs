using Microsoft.Extensions.DependencyInjection;

namespace ActorRpc;

/// <summary>
/// What <c>AddActorRpc()</c> returns: the place to register methods and declare topics, as
/// <c>AddSignalR()</c> returns an <c>ISignalRServerBuilder</c>. Every call adds to the same node;
/// <c>AddActorRpc()</c> may be called any number of times and always hands back a builder of the
/// same registrations.
/// </summary>
public interface IActorRpcBuilder
{
    /// <summary>The application's services.</summary>
    IServiceCollection Services { get; }
}
