using ActorRpc.Methods.Topics;

namespace ActorRpc.Tests.Topics;

/// <summary>Which guard a topic has when patterns overlap: a narrower pattern adds to a broader one's, never lifts it.</summary>
public sealed class TopicCatalogGuardSpec
{
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void NarrowerGuardedPattern_GuardsItsTopicsWhateverTheRegistrationOrder(bool broadFirst)
    {
        var builder = new RpcTopicsBuilder();
        if (broadFirst)
        {
            builder.AddTopicPattern("events.*").AddTopicPattern("events.admin.*", new RpcTopicOptions().RequirePermission("admin"));
        }
        else
        {
            builder.AddTopicPattern("events.admin.*", new RpcTopicOptions().RequirePermission("admin")).AddTopicPattern("events.*");
        }

        var catalog = builder.Build();

        Assert.Equal(["admin"], catalog.GuardOf("events.admin.payroll")!.Permissions);
        Assert.Null(catalog.GuardOf("events.public"));
        Assert.True(catalog.HasGuards);
    }

    [Fact]
    public void BroaderGuardedPattern_StillGuardsTheTopicsOfANarrowerOpenOne()
    {
        var catalog = new RpcTopicsBuilder()
            .AddTopicPattern("events.*", new RpcTopicOptions().RequirePermission("staff"))
            .AddTopicPattern("events.admin.*", new RpcTopicOptions().RequirePermission("admin"))
            .AddTopicPattern("events.open.*")
            .Build();

        Assert.Equal(["staff"], catalog.GuardOf("events.open.x")!.Permissions);
        Assert.Equal(["admin", "staff"], catalog.GuardOf("events.admin.x")!.Permissions.Order(StringComparer.Ordinal));
        Assert.Equal(["admin", "staff"], catalog.GuardOfListed("events.admin.*")!.Permissions.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void TopicDeclaredByName_HasItsOwnGuardOnly()
    {
        var catalog = new RpcTopicsBuilder()
            .AddTopicPattern("events.*", new RpcTopicOptions().RequirePermission("staff"))
            .AddTopic("events.lobby")
            .Build();

        Assert.Null(catalog.GuardOf("events.lobby"));
        Assert.NotNull(catalog.GuardOf("events.other"));
        Assert.Null(catalog.GuardOf("weather"));
    }
}
