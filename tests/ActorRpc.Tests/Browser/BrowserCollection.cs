namespace ActorRpc.Tests.Browser;

/// <summary>The browser specs share one <see cref="Chromium"/>, and so run one after the other.</summary>
[CollectionDefinition(Name)]
public sealed class BrowserCollection : ICollectionFixture<Chromium>
{
    public const string Name = "Browser";
}
