using ActorRpc.Methods.Authorization;
using ActorRpc.Methods.Definition;
using ActorRpc.Methods.Topics;

namespace ActorRpc.Gateway.Hosting;

/// <summary>
/// Resolves the authorization policy of every guarded method and topic before the node starts,
/// so a policy name that does not exist fails start-up, naming the method or topic, rather than
/// turning each call into an internal error. Checked while the host is starting (before any
/// hosted service starts, Kestrel and the actor system included), as <see cref="ActorRpcStartupCheck"/> does.
/// </summary>
internal sealed class GuardPolicyStartupCheck(RpcMethodCatalog methods, TopicCatalog topics, RpcAuthorizer authorizer) : IHostedLifecycleService
{
    public async Task StartingAsync(CancellationToken cancellationToken)
    {
        foreach (var (name, guard) in methods.Guards)
        {
            await CheckAsync($"method '{name}'", guard).ConfigureAwait(false);
        }

        foreach (var (name, guard) in topics.Guards)
        {
            await CheckAsync($"topic '{name}'", guard).ConfigureAwait(false);
        }
    }

    private async Task CheckAsync(string what, RpcGuard guard)
    {
        try
        {
            await authorizer.CheckAsync(guard).ConfigureAwait(false);
        }
        catch (InvalidOperationException ex)
        {
            throw new InvalidOperationException($"The guard of ActorRpc {what} cannot be resolved: {ex.Message}", ex);
        }
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
