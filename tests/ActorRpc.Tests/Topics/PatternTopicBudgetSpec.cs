using ActorRpc.Actors.Topics;

namespace ActorRpc.Tests.Topics;

/// <summary>The node's count of live pattern topics (ActorRpc:Limits:MaxPatternTopics), without actors.</summary>
public sealed class PatternTopicBudgetSpec
{
    [Fact]
    public void TryAdmit_PastTheLimit_AdmitsNoneOfTheRequest()
    {
        var budget = new PatternTopicBudget(limit: 3);
        Assert.True(budget.TryAcquire(["a", "b"]));

        Assert.False(budget.TryAcquire(["c", "d"]));
        Assert.Equal(2, budget.Count);
        Assert.True(budget.TryAcquire(["a", "b", "c"])); // a and b are live already
        Assert.Equal(3, budget.Count);
    }

    [Fact]
    public void Stopped_FreesTheName_StartedAfterAPruneCountsItAgain()
    {
        var budget = new PatternTopicBudget(limit: 1);
        Assert.True(budget.TryAcquire(["a"]));
        budget.Release("a");
        Assert.True(budget.TryAcquire(["b"]));

        budget.Add("b");
        Assert.Equal(1, budget.Count);
        Assert.False(budget.TryAcquire(["c"]));
    }
}
