using ActorRpc.Methods.Authorization;
using ActorRpc.Methods.Definition;
using ActorRpc.Methods.Topics;

namespace ActorRpc.Gateway.Hosting;

/// <summary>
/// Resolves the authorization policy of every guarded method and topic when the node starts, so a
/// policy name that does not exist fails start-up, naming the method or topic, rather than turning
/// each call into an internal error.
/// </summary>
internal sealed class GuardPolicyStartupCheck(RpcMethodCatalog methods, TopicCatalog topics, RpcAuthorizer authorizer) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var guarded = methods.Methods.Where(m => m.Guard is not null).Select(m => ($"method '{m.Name}'", m.Guard!))
            .Concat(topics.Listed.Select(name => ($"topic '{name}'", topics.GuardOfListed(name))).Where(t => t.Item2 is not null).Select(t => (t.Item1, t.Item2!)));
        foreach (var (what, guard) in guarded)
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
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
