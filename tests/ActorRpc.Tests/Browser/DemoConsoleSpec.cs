using System.ComponentModel;
using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using System.Text.Json.Serialization;
using ActorRpc.DemoHost;
using ActorRpc.Testing;
using ActorRpc.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
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

        // The retained tick comes right after subscribing, the next one a second later: two different
        // ticks (a retained tick delivered twice would show the same one twice).
        var ticks = page.GetByTestId("notification-log").Locator("li[data-topic='clock']");
        await Expect(ticks.Nth(1)).ToBeAttachedAsync();
        await Expect(ticks.First).ToContainTextAsync("clock");
        var newest = JsonDocument.Parse(await ticks.Nth(0).Locator("pre").TextContentAsync() ?? "").RootElement.GetProperty("tick").GetInt64();
        var previous = JsonDocument.Parse(await ticks.Nth(1).Locator("pre").TextContentAsync() ?? "").RootElement.GetProperty("tick").GetInt64();
        Assert.True(newest > previous, $"Two ticks in the log, but not two different ones: {previous} then {newest}.");
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
        await page.GetByTestId("method-add").Locator("summary").ClickAsync();
        await page.GetByTestId("param-add-a").FillAsync("17");
        await page.GetByTestId("custom-method").FillAsync("whoami");
        await page.GetByTestId("call-custom-call").ClickAsync();
        await Expect(page.GetByTestId("error-custom-call-code")).ToHaveTextAsync("-32010");
        await Expect(page.GetByTestId("error-custom-call-message")).ToHaveTextAsync("Authentication required");

        await page.GetByTestId("token-input").FillAsync(TestTokens.Mint("alice", permissions: ["publish"]));
        await page.GetByTestId("token-submit").ClickAsync();
        await Expect(page.GetByTestId("who")).ToContainTextAsync("Signed in as alice");

        // The client keeps the token for reconnects; the field no longer shows it.
        await Expect(page.GetByTestId("token-input")).ToHaveValueAsync("");

        // Discovery, asked again, now lists it; add, described as before, kept what was typed in it.
        await Expect(page.GetByTestId("param-add-a")).ToHaveValueAsync("17");
        await page.GetByTestId("method-whoami").Locator("summary").ClickAsync();
        await page.GetByTestId("call-whoami").ClickAsync();
        await Expect(page.GetByTestId("result-whoami")).ToContainTextAsync("alice");
        JsonAssert.Equivalent("""{"name":"alice","permissions":["publish"]}""", await page.GetByTestId("result-whoami").TextContentAsync() ?? "");
    }

    [Fact]
    public async Task TokenField_NoNamePasswordType_SoANativeSubmitCannotPutTheTokenInAUrl()
    {
        // An input without a name is not submitted: should the form be submitted before console.js
        // ran, the token does not become ?token=... (form-action 'none' stops the submit anyway).
        await using var console = await OpenAsync();
        var input = console.Page.GetByTestId("token-input");
        Assert.Null(await input.GetAttributeAsync("name"));
        await Expect(input).ToHaveAttributeAsync("type", "password");
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
            "default-src 'self'; script-src 'self'; connect-src 'self'; style-src 'self'; img-src 'self' data:; object-src 'none'; " +
            "base-uri 'none'; form-action 'none'; frame-ancestors 'none'; require-trusted-types-for 'script'",
            Assert.Single(response.Headers.GetValues("Content-Security-Policy")));
        Assert.Equal("nosniff", Assert.Single(response.Headers.GetValues("X-Content-Type-Options")));
    }

    [Theory]
    [InlineData("/")]
    [InlineData("/console.js")]
    [InlineData("/console.css")]
    public async Task ConsoleFiles_IfNoneMatch_304ForTheTagInAListWeakOrStar_200ForAnother(string path)
    {
        using var first = await node.Server.Http.GetAsync(path);
        var etag = first.Headers.ETag?.Tag ?? throw new InvalidOperationException($"{path} has no ETag.");

        foreach (var ifNoneMatch in new[] { etag, $"\"other\", {etag}", $"W/{etag}", "*" })
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, path);
            request.Headers.TryAddWithoutValidation("If-None-Match", ifNoneMatch);
            using var response = await node.Server.Http.SendAsync(request);
            Assert.True(response.StatusCode == HttpStatusCode.NotModified, $"If-None-Match: {ifNoneMatch} answered {response.StatusCode}.");
            Assert.Empty(await response.Content.ReadAsByteArrayAsync());
            Assert.Equal(etag, response.Headers.ETag?.Tag);
        }

        using var other = new HttpRequestMessage(HttpMethod.Get, path);
        other.Headers.TryAddWithoutValidation("If-None-Match", "\"other\"");
        using var changed = await node.Server.Http.SendAsync(other);
        Assert.Equal(HttpStatusCode.OK, changed.StatusCode);
        Assert.Equal(await first.Content.ReadAsByteArrayAsync(), await changed.Content.ReadAsByteArrayAsync());
    }

    [Theory]
    [InlineData("/")]
    [InlineData("/console.js")]
    public async Task ConsoleFiles_Head_HeadersWithoutBody(string path)
    {
        using var get = await node.Server.Http.GetAsync(path);
        using var head = await node.Server.Http.SendAsync(new HttpRequestMessage(HttpMethod.Head, path));
        Assert.Equal(HttpStatusCode.OK, head.StatusCode);
        Assert.Equal(get.Content.Headers.ContentLength, head.Content.Headers.ContentLength);
        Assert.Equal(get.Headers.ETag, head.Headers.ETag);
        Assert.Empty(await head.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task DiscoveryFails_RpcDiscoverAndGetMethodsRefused_TheStatusSaysSoAndCallsStillWork()
    {
        // rpc.discover and the fallback's get_methods are answered with an error.
        await using var console = await chromium.OpenAsync(node.Server.HttpAddress, prepare: context => RefuseAsync(context, "rpc.discover", "get_methods"));
        var page = console.Page;

        await Expect(page.GetByTestId("methods-status")).ToHaveAttributeAsync("data-status", "failed");
        await Expect(page.GetByTestId("methods-status")).ToContainTextAsync("-32603 Refused by the test");
        await Expect(page.GetByTestId("connection-state")).ToHaveAttributeAsync("data-state", "open");

        await page.GetByTestId("custom-method").FillAsync("add");
        await page.GetByTestId("custom-params").FillAsync("[2, 3]");
        await page.GetByTestId("call-custom-call").ClickAsync();
        await Expect(page.GetByTestId("result-custom-call")).ToHaveTextAsync("5");
    }

    [Fact]
    public async Task TopicSwitch_UnsubscribeFails_SwitchBackOnWithTheError()
    {
        await using var console = await chromium.OpenAsync(node.Server.HttpAddress, prepare: context => RefuseAsync(context, "unsubscribe"));
        var page = console.Page;
        await page.GetByTestId("topic-news").CheckAsync();
        await Expect(page.GetByTestId("topic-news")).ToBeEnabledAsync();
        await Expect(page.GetByTestId("topic-item-news")).ToHaveAttributeAsync("data-subscribed", "true");

        // The server still sends (the unsubscribe failed): the switch says so, with the reason.
        await page.GetByTestId("topic-news").ClickAsync();
        await Expect(page.GetByTestId("topic-news-error")).ToContainTextAsync("-32603 Refused by the test");
        await Expect(page.GetByTestId("topic-news")).ToBeCheckedAsync();
        await Expect(page.GetByTestId("topic-item-news")).ToHaveAttributeAsync("data-subscribed", "true");
    }

    /// <summary>
    /// Routes the context's WebSockets to the node through a filter that answers requests for
    /// <paramref name="methods"/> with a -32603 error itself and passes everything else on.
    /// </summary>
    private static Task RefuseAsync(IBrowserContext context, params string[] methods) => context.RouteWebSocketAsync(
        new Regex("/rpc$"),
        route =>
        {
            var server = route.ConnectToServer();
            route.OnMessage(frame =>
            {
                var text = frame.Text ?? "";
                using var message = JsonDocument.Parse(text);
                var root = message.RootElement;
                if (root.ValueKind == JsonValueKind.Object
                    && root.TryGetProperty("method", out var method) && methods.Contains(method.GetString())
                    && root.TryGetProperty("id", out var id))
                {
                    route.Send($$$"""{"jsonrpc":"2.0","id":{{{id.GetRawText()}}},"error":{"code":-32603,"message":"Refused by the test"}}""");
                    return;
                }

                server.Send(text);
            });
        });

    [Fact]
    public async Task DemoNode_ServesTheBrowserClient()
    {
        using var response = await node.Server.Http.GetAsync("/actorrpc.js");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/javascript; charset=utf-8", response.Content.Headers.ContentType?.ToString());
    }

    [Fact]
    public async Task ServerTexts_WithHtml_ShownAsTextNeverAsMarkup()
    {
        // Every text the console shows from the server, with markup in it: method name, summary,
        // description, param names and descriptions, topic name and summary, notification data,
        // the server's call to the page and its params.
        const string Html = "<img src=x onerror=alert(1)>";
        const string MethodName = "x\"><img src=x onerror=alert(1)>";
        const string TopicName = "<b>news</b><img src=x onerror=alert(2)>";
        await using var server = await ActorRpcTestServer.StartAsync(
            rpc =>
            {
                rpc.AddMethod(MethodName, ([Description(Html)] string value) => value)
                    .WithSummary($"Runs {Html}. Then <script>alert(3)</script>.")
                    .WithDescription($"<iframe src=x></iframe>{Html}");
                rpc.AddMethod("named_html", ([RpcParams] HtmlParams parameters) => parameters.Value);
                rpc.AddMethod("ask_client", DemoMethods.AskClientAsync);
                rpc.AddTopic(TopicName, topic => topic.Summary = $"Carries {Html}");
            },
            options => options.ConfigureApp = app =>
            {
                app.MapActorRpcBrowserClient();
                app.MapDemoConsole();
            });
        await using var console = await chromium.OpenAsync(server.BaseAddress);
        var page = console.Page;
        var dialogs = new List<string>();
        page.Dialog += (_, dialog) =>
        {
            dialogs.Add(dialog.Message);
            _ = dialog.DismissAsync();
        };

        var method = page.GetByTestId($"method-{MethodName}");
        await Expect(method.Locator(".name")).ToHaveTextAsync(MethodName);
        await Expect(method.Locator(".summary")).ToHaveTextAsync($"Runs {Html}.");
        await method.Locator("summary").ClickAsync();
        await Expect(method.Locator(".description")).ToContainTextAsync("<script>alert(3)</script>");
        await Expect(method.Locator(".description")).ToContainTextAsync("<iframe src=x></iframe>");
        await Expect(method.Locator(".field label")).ToContainTextAsync("value");
        await Expect(method.Locator(".field .hint")).ToHaveTextAsync(Html);

        var named = page.GetByTestId("method-named_html");
        await named.Locator("summary").ClickAsync();
        await Expect(named.Locator(".field label")).ToContainTextAsync(HtmlParams.Name);
        await Expect(named.Locator(".field .hint")).ToHaveTextAsync($"The {Html}");

        // The call's result, with markup, is shown as text too.
        await page.GetByTestId($"param-{MethodName}-value").FillAsync(Html);
        await page.GetByTestId($"call-{MethodName}").ClickAsync();
        await Expect(page.GetByTestId($"result-{MethodName}")).ToHaveTextAsync($"\"{Html}\"");

        var topic = page.GetByTestId($"topic-item-{TopicName}");
        await Expect(topic.Locator("code")).ToHaveTextAsync(TopicName);
        await Expect(topic).ToContainTextAsync($"Carries {Html}");
        await page.GetByTestId($"topic-{TopicName}").CheckAsync();
        await Expect(topic).ToHaveAttributeAsync("data-subscribed", "true");
        server.Publisher.Publish(TopicName, new { html = $"<script>alert(4)</script>{Html}" });
        var notification = page.GetByTestId("notification-log").Locator("li").First;
        await Expect(notification.Locator("code")).ToHaveTextAsync(TopicName);
        await Expect(notification.Locator("pre")).ToContainTextAsync("<script>alert(4)</script>");

        await page.GetByTestId("custom-method").FillAsync("ask_client");
        await page.GetByTestId("custom-params").FillAsync(JsonSerializer.Serialize(new { method = "echo", @params = new[] { Html } }));
        await page.GetByTestId("call-custom-call").ClickAsync();
        await Expect(page.GetByTestId("result-custom-call")).ToContainTextAsync(Html);
        await Expect(page.GetByTestId("servercall-log").Locator("li[data-method='echo'] pre")).ToContainTextAsync(Html);

        // Nothing became an element: the page itself has no img, b, iframe or inline script.
        Assert.Equal(0, await page.EvaluateAsync<int>("() => document.querySelectorAll('img, b, iframe, script:not([src])').length"));
        Assert.Empty(dialogs);
        Assert.DoesNotContain(console.ConsoleMessages, message =>
            message.StartsWith("page error", StringComparison.Ordinal)
            || message.Contains("Content Security Policy", StringComparison.OrdinalIgnoreCase)
            || message.Contains("Trusted", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task SubscriptionLost_TopicGoneAfterTheServerRestarted_SwitchOffWithTheReason()
    {
        await using var first = await StartConsoleServerAsync(withNews: true, port: 0);
        var port = first.BaseAddress.Port;
        await using var console = await OpenAsync(first.BaseAddress);
        var page = console.Page;
        await page.GetByTestId("topic-news").CheckAsync();
        await Expect(page.GetByTestId("topic-item-news")).ToHaveAttributeAsync("data-subscribed", "true");

        // The same port, without the topic: the client's re-subscribe is refused (-32602), the topic dropped.
        await first.DisposeAsync();
        await using var second = await StartConsoleServerAsync(withNews: false, port);

        // The console's client reconnects with its default backoff (0.5 s doubling, up to 30 s), so
        // the attempt after the restart may come well after it on a loaded machine.
        var lost = page.GetByTestId("notification-log").Locator("li[data-lost='news']");
        await Expect(lost).ToContainTextAsync("Subscription lost: -32602", new() { Timeout = (float)ReconnectBound.TotalMilliseconds });

        // After "reconnected" the console reads the catalog again: the topic and its switch are gone.
        await Expect(page.GetByTestId("topic-news")).ToHaveCountAsync(0);
        await Expect(page.GetByTestId("connection-state")).ToHaveAttributeAsync("data-state", "open");
        Assert.Equal("[]", await page.EvaluateAsync<string>("() => JSON.stringify([...document.querySelectorAll('#topics input:checked')].map(e => e.id))"));
    }

    /// <summary>The longest the console's client may take to reconnect after a restart: its backoff's 30 s cap plus the suite's long bound.</summary>
    private static readonly TimeSpan ReconnectBound = TimeSpan.FromSeconds(30) + TestTimeouts.Long;

    /// <summary>A test server with add (and the news topic when <paramref name="withNews"/>), serving the console and the browser client.</summary>
    private static Task<ActorRpcTestServer> StartConsoleServerAsync(bool withNews, int port) => ActorRpcTestServer.StartAsync(
        rpc =>
        {
            rpc.AddMethod("add", DemoMethods.Add);
            if (withNews)
            {
                rpc.AddTopic(DemoMethods.NewsTopic);
            }
        },
        options =>
        {
            options.Port = port;
            options.ConfigureApp = app =>
            {
                app.MapActorRpcBrowserClient();
                app.MapDemoConsole();
            };
        });

    /// <summary>Named params whose only property's JSON name and description are markup.</summary>
    public sealed record HtmlParams([property: JsonPropertyName(HtmlParams.Name), Description("The <img src=x onerror=alert(1)>")] string Value)
    {
        public const string Name = "<b>p</b><img src=x onerror=alert(5)>";
    }

    /// <summary>The console, once connected and showing the methods discovery listed.</summary>
    private Task<BrowserPage> OpenAsync(int width = 1280) => OpenAsync(node.Server.HttpAddress, width);

    /// <summary>The console at <paramref name="address"/>, once connected and showing the methods discovery listed.</summary>
    private async Task<BrowserPage> OpenAsync(Uri address, int width = 1280)
    {
        var console = await chromium.OpenAsync(address, width);
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
