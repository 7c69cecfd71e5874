using Akka.Actor;

namespace ActorRpc.DemoHost;

/// <summary>
/// Starts the <see cref="ClockTickerActor"/> in the node's actor system once it runs (hosted
/// services start in order, and <c>AddActorRpc()</c> registered the actor system's first), and
/// stops it with the host.
/// </summary>
internal sealed class ClockTicker(ActorSystem system) : IHostedService
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);

    private IActorRef? _ticker;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _ticker = system.ActorOf(ClockTickerActor.Props(Interval), "clock-ticker");
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        _ticker?.Tell(PoisonPill.Instance);
        return Task.CompletedTask;
    }
}
