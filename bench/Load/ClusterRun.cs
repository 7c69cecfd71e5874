namespace ActorRpc.Bench.Load;

/// <summary>
/// The 3-node fan-out: three ActorRpc node processes (<see cref="ServerBinary"/>) on loopback (node 1
/// the seed), subscribers spread round-robin over the nodes, the publisher on node 1. The nodes' own counter
/// (<see cref="FanoutRun.ClusterSentCounter"/>) gives the messages sent to other nodes per notify:
/// 2 when a notify crosses to each other node once, whatever the number of subscribers there.
/// </summary>
internal static class ClusterRun
{
    public static async Task RunAsync(MatrixPlan plan, string root, string logDirectory, int httpBasePort, List<Sample> samples, CancellationToken cancellationToken)
    {
        var dll = ServerBinary.RequireDll(root, "Release");
        var akkaBase = httpBasePort - 1000;
        var nodes = Enumerable.Range(1, 3).Select(i => new ClusterNode(i, httpBasePort + i - 1, akkaBase + i - 1, akkaBase, dll, logDirectory)).ToArray();
        try
        {
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
            using var startup = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            startup.CancelAfter(TimeSpan.FromSeconds(90));
            foreach (var node in nodes)
            {
                if (ClusterNode.PortInUse(node.HttpPort) || ClusterNode.PortInUse(node.AkkaPort))
                {
                    throw new InvalidOperationException($"port {node.HttpPort} or {node.AkkaPort} is in use (pass --base-port)");
                }

                node.Start();
                await node.WaitHealthyAsync(http, startup.Token).ConfigureAwait(false);
            }

            for (var rep = 1; rep <= plan.ClusterReps; rep++)
            {
                var result = await FanoutRun.RunAsync(
                    new FanoutSettings(
                        [.. nodes.Select(n => n.WebSocketUri)], nodes[0].WebSocketUri, plan.ClusterSubscribers, plan.ClusterRate, plan.FanoutSeconds,
                        [.. nodes.Select(n => n.Pid ?? 0)], [.. nodes.Select(n => new Uri($"http://{ClusterNode.Host}:{n.HttpPort}/metrics"))]),
                    cancellationToken).ConfigureAwait(false);
                Matrix.Add(samples, "cluster", $"3x{plan.ClusterSubscribers}", Matrix.ActorRpc, rep, result);
            }
        }
        finally
        {
            foreach (var node in nodes.Reverse())
            {
                node.Dispose();
            }
        }
    }
}
