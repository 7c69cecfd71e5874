using System.Net;
using System.Text.RegularExpressions;
using ActorRpc.DemoHost;
using ActorRpc.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace ActorRpc.Tests.Browser;

/// <summary>
/// Issue 15: the console at <c>/</c> of the demo node, in Chromium: forms generated from
/// <c>rpc.discover</c>, topic switches with a live log, a token field, and the server's calls to the
/// page; under a strict Content-Security-Policy, without external requests, readable on a phone.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class DemoConsoleSpec(Chromium chromium, DemoConsoleSpec.SecuredNode node) : IClassFixture<DemoConsoleSpec.SecuredNode>
{
    [Fact]
    public async Task AddForm_TwoAndThree_ShowsFiveWithTiming()
    {
        await using var console = await OpenAsync();
        var page = console.Page;
        await page.GetByTestId("method-add").Locator("summary").ClickAsync();
        await page.GetByTestId("param-add-a").FillAsync("2");
        await page.GetByTestId("param-add-b").FillAsync("3");
        await page.GetByTestId("call-add").ClickAsync();

        await Expect(page.GetByTestId("result-add")).ToHaveTextAsync("5");
        await Expect(page.GetByTestId("timing-add")).ToHaveTextAsync(new Regex(@"^\d+\.\d ms$"));
    }

    [Fact]
    public async Task RawParams_Divide_ResultThenInternalError()
    {
        // Raw mode leaves divide's required fields empty: they must not block the call.
        await using var console = await OpenAsync();
        var page = console.Page;
        await page.GetByTestId("method-divide").Locator("summary").ClickAsync();
        await page.GetByTestId("raw-toggle-divide").CheckAsync();
        await page.GetByTestId("raw-params-divide").FillAsync("[7, 2]");
        await page.GetByTestId("call-divide").ClickAsync();
        await Expect(page.GetByTestId("result-divide")).ToHaveTextAsync("3");

        await page.GetByTestId("raw-params-divide").FillAsync("""{"a": 1, "b": 0}""");
        await page.GetByTestId("call-divide").ClickAsync();
        await Expect(page.GetByTestId("error-divide-code")).ToHaveTextAsync("-32603");
        await Expect(page.GetByTestId("error-divide-message")).ToHaveTextAsync("Internal error");
    }

    [Fact]
    public async Task ComputerSaysNo_ErrorWithCodeAndMessage()
    {
        await using var console = await OpenAsync();
        var page = console.Page;
        await page.GetByTestId("method-computer_says_no").Locator("summary").ClickAsync();
        await page.GetByTestId("call-computer_says_no").ClickAsync();
        await Expect(page.GetByTestId("error-computer_says_no-code")).ToHaveTextAsync("-32050");
        await Expect(page.GetByTestId("error-computer_says_no-message")).ToHaveTextAsync("Computer says no.");
        await Expect(page.GetByTestId("timing-computer_says_no")).ToHaveTextAsync(new Regex(@"^\d+\.\d ms$"));
    }

    [Fact]
    public async Task ClockSwitch_On_TicksArriveInTheLog()
    {
        await using var console = await OpenAsync();
        var page = console.Page;
        await page.GetByTestId("topic-clock").CheckAsync();

        // The retained tick comes right after subscribing, the next one a second later.
        var ticks = page.GetByTestId("notification-log").Locator("li[data-topic='clock']");
        await Expect(ticks.Nth(1)).ToBeAttachedAsync();
        await Expect(ticks.First).ToContainTextAsync("clock");
    }

    [Fact]
    public async Task NotificationLog_ManyNotifications_KeepsTheNewest200()
    {
        await using var console = await OpenAsync();
        var page = console.Page;
        await page.GetByTestId("topic-news").CheckAsync();
        await Expect(page.GetByTestId("topic-news")).ToBeEnabledAsync();

        var publisher = node.Server.App.Services.GetRequiredService<ITopicPublisher>();
        for (var i = 1; i <= 205; i++)
        {
            publisher.Publish(DemoMethods.NewsTopic, new { n = i });
        }

        // Newest first: once n=205 is on top, all have arrived.
        var entries = page.GetByTestId("notification-log").Locator("li[data-topic='news']");
        await Expect(entries.First).ToContainTextAsync("""{"n":205}""");
        await Expect(entries).ToHaveCountAsync(200);
        await Expect(entries.Last).ToContainTextAsync("""{"n":6}""");
    }

    [Fact]
    public async Task WhoAmI_RefusedWithoutToken_AfterAuthenticatingAnswersTheTokensUser()
    {
        await using var console = await OpenAsync();
        var page = console.Page;

        // Anonymous: discovery does not list whoami, so it is called by name.
        await Expect(page.GetByTestId("method-whoami")).ToHaveCountAsync(0);
        await page.GetByTestId("custom-method").FillAsync("whoami");
        await page.GetByTestId("call-custom-call").ClickAsync();
        await Expect(page.GetByTestId("error-custom-call-code")).ToHaveTextAsync("-32010");
        await Expect(page.GetByTestId("error-custom-call-message")).ToHaveTextAsync("Authentication required");

        await page.GetByTestId("token-input").FillAsync(TestTokens.Mint("alice", permissions: ["publish"]));
        await page.GetByTestId("token-submit").ClickAsync();
        await Expect(page.GetByTestId("who")).ToContainTextAsync("Signed in as alice");

        // Discovery, asked again, now lists it.
        await page.GetByTestId("method-whoami").Locator("summary").ClickAsync();
        await page.GetByTestId("call-whoami").ClickAsync();
        await Expect(page.GetByTestId("result-whoami")).ToContainTextAsync("alice");
        JsonAssert.Equivalent("""{"name":"alice","permissions":["publish"]}""", await page.GetByTestId("result-whoami").TextContentAsync() ?? "");
    }

    [Fact]
    public async Task Authenticate_BadToken_RefusedAndStillAnonymous()
    {
        await using var console = await OpenAsync();
        var page = console.Page;
        await page.GetByTestId("token-input").FillAsync(TestTokens.Mint("mallory", key: new byte[32]));
        await page.GetByTestId("token-submit").ClickAsync();
        await Expect(page.GetByTestId("who")).ToContainTextAsync("-32010");
        await Expect(page.GetByTestId("connection-state")).ToHaveAttributeAsync("data-state", "open");
    }

    [Fact]
    public async Task AskClient_Confirm_TheServersCallShownWithThePagesAnswer()
    {
        await using var console = await OpenAsync();
        var page = console.Page;
        await page.GetByTestId("custom-method").FillAsync("ask_client");
        await page.GetByTestId("custom-params").FillAsync("""{"method":"confirm","params":["Proceed?"]}""");
        await page.GetByTestId("call-custom-call").ClickAsync();

        await Expect(page.GetByTestId("result-custom-call")).ToHaveTextAsync("true");
        var call = page.GetByTestId("servercall-log").Locator("li[data-method='confirm']");
        await Expect(call).ToContainTextAsync("""["Proceed?"]""");
        await Expect(call).ToContainTextAsync("→ true");
    }

    [Fact]
    public async Task Page_ConnectionAndUrl_FromTheLocation()
    {
        await using var console = await OpenAsync();
        await Expect(console.Page.GetByTestId("ws-url")).ToHaveTextAsync($"ws://{node.Server.HttpAddress.Authority}/rpc");
    }

    [Fact]
    public async Task Page_PhoneWidth_NoSidewaysScrollEveryInputLabelledNothingExternalNoPolicyViolation()
    {
        await using var console = await OpenAsync(width: 375);
        var page = console.Page;
        await page.GetByTestId("method-add").Locator("summary").ClickAsync();
        await Expect(page.GetByTestId("param-add-a")).ToBeVisibleAsync();

        Assert.True(await page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth <= window.innerWidth"), "The page scrolls sideways at 375 px.");
        var unlabelled = await page.EvaluateAsync<string[]>(
            "() => [...document.querySelectorAll('input, textarea, select, button')]" +
            ".filter(e => !(e.labels?.length || e.getAttribute('aria-label') || (e.tagName === 'BUTTON' && e.textContent.trim())))" +
            ".map(e => e.id || e.outerHTML)");
        Assert.Empty(unlabelled);

        var origin = node.Server.HttpAddress.GetLeftPart(UriPartial.Authority);
        Assert.All(console.Requests, url => Assert.True(
            url.StartsWith(origin + "/", StringComparison.Ordinal) || url.StartsWith($"ws://{node.Server.HttpAddress.Authority}/", StringComparison.Ordinal),
            $"An external request: {url}"));
        Assert.DoesNotContain(console.ConsoleMessages, message => message.Contains("Content Security Policy", StringComparison.OrdinalIgnoreCase));
    }

    [Theory]
    [InlineData("/", "text/html; charset=utf-8")]
    [InlineData("/console.js", "text/javascript; charset=utf-8")]
    [InlineData("/console.css", "text/css; charset=utf-8")]
    public async Task ConsoleFiles_StrictContentSecurityPolicyNoSniff(string path, string contentType)
    {
        using var response = await node.Server.Http.GetAsync(path);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(contentType, response.Content.Headers.ContentType?.ToString());
        Assert.Equal(
            "default-src 'self'; script-src 'self'; connect-src 'self' ws: wss:; style-src 'self'; img-src 'self' data:; frame-ancestors 'none'",
            Assert.Single(response.Headers.GetValues("Content-Security-Policy")));
        Assert.Equal("nosniff", Assert.Single(response.Headers.GetValues("X-Content-Type-Options")));
    }

    [Fact]
    public async Task DemoNode_ServesTheBrowserClient()
    {
        using var response = await node.Server.Http.GetAsync("/actorrpc.js");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/javascript; charset=utf-8", response.Content.Headers.ContentType?.ToString());
    }

    /// <summary>The console, once connected and showing the methods discovery listed.</summary>
    private async Task<BrowserPage> OpenAsync(int width = 1280)
    {
        var console = await chromium.OpenAsync(node.Server.HttpAddress, width);
        try
        {
            await Expect(console.Page.GetByTestId("connection-state")).ToHaveAttributeAsync("data-state", "open");
            await Expect(console.Page.GetByTestId("method-add")).ToBeAttachedAsync();
            return console;
        }
        catch (Exception ex)
        {
            await console.DisposeAsync();
            throw new InvalidOperationException($"The console did not connect and list its methods. The page logged:\n{console.Diagnostics}", ex);
        }
    }

    /// <summary>The demo node with JWT bearer authentication accepting <see cref="TestTokens.Mint"/>'s tokens, shared by the class.</summary>
    public sealed class SecuredNode : IAsyncLifetime
    {
        private RpcServer? _server;

        public RpcServer Server => _server ?? throw new InvalidOperationException("The server is not started.");

        public async Task InitializeAsync() => _server = await RpcServer.StartAsync(null, TestTokens.BearerArguments());

        public async Task DisposeAsync()
        {
            if (_server is not null)
            {
                await _server.DisposeAsync();
            }
        }
    }
}
