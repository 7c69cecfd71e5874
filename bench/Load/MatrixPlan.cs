namespace ActorRpc.Bench.Load;

/// <summary>
/// What the matrix runs. Fan-out keeps the deliveries per second the same in every cell
/// (subscribers × rate = <see cref="FanoutDeliveriesPerSecond"/>), so cells differ only in width.
/// </summary>
internal sealed record MatrixPlan(
    string Name, int Reps, (int Connections, int Depth)[] Rpc, double RpcWarmup, double RpcSeconds,
    int[] Fanout, double FanoutSeconds, int FanoutDeliveriesPerSecond, int[] Idle, double IdleSettle,
    int ClusterSubscribers, double ClusterRate, int ClusterReps)
{
    /// <summary>Under 3 minutes with the build already done: the cells the chart and the targets need, once.</summary>
    public static MatrixPlan Quick { get; } = new(
        "quick", 1, [(1, 16), (16, 16), (64, 16), (64, 1)], 1, 3,
        [100, 1000], 3, 20_000, [2000], 1.5,
        999, 20, 1);

    /// <summary>The standard matrix of issue #5, three interleaved repetitions (about 15 minutes).</summary>
    public static MatrixPlan Full { get; } = new(
        "full", 3, [(1, 1), (1, 16), (16, 1), (16, 16), (64, 1), (64, 16)], 2, 4,
        [100, 1000, 10_000], 5, 20_000, [2000, 10_000], 2,
        3000, 20, 3);

    public double FanoutRate(int subscribers) => Math.Max(1, FanoutDeliveriesPerSecond / (double)subscribers);
}
