using ActorRpc.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace ActorRpc.Tests.Browser;

/// <summary>
/// samples/browser/index.html, opened from a file (another origin than the node's), imports the
/// node's <c>/actorrpc.js</c> across origins under the demo's CORS policy and runs its checks.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class SamplePageSpec(Chromium chromium)
{
    [Fact]
    public async Task SamplePage_FromAFile_ImportsTheNodesClientAndEveryCheckPasses()
    {
        await using var server = await RpcServer.StartAsync();
        var sample = Path.Combine(ExternalProcess.RepositoryRoot(), "samples", "browser", "index.html");
        var url = new UriBuilder(new Uri(sample)) { Query = "url=" + Uri.EscapeDataString(server.WebSocketUri.ToString()) }.Uri;

        await using var page = await chromium.OpenAsync(url);

        var status = page.Page.Locator("#status");
        await Expect(status).Not.ToHaveAttributeAsync("data-status", "running");
        var log = await page.Page.Locator("#log").TextContentAsync();
        Assert.True(await status.GetAttributeAsync("data-status") == "ok", $"The sample's checks failed:\n{log}\n{page.Diagnostics}");
        Assert.Contains("ok   a clock tick", log, StringComparison.Ordinal);
    }
}
