using System.Text.RegularExpressions;
using ActorRpc.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace ActorRpc.Tests.Browser;

/// <summary>The README's browser example, as written there, runs in Chromium against the demo node.</summary>
[Collection(BrowserCollection.Name)]
public sealed partial class ReadmeBrowserExampleSpec(Chromium chromium)
{
    [Fact]
    public async Task ReadmeExample_OnTheDemoNode_LogsTheSumATickAndTheErrorCode()
    {
        var example = ReadmeExample();
        // The node itself serves the README's block (Chromium refuses loopback sockets to a page of
        // no address, such as one a test route answers), so its `/actorrpc.js` and
        // `ws://${location.host}/rpc` reach the real node. It logs the sum, a tick and the error code.
        await using var server = await RpcServer.StartAsync(builder => builder.Services.AddSingleton<IStartupFilter>(new ServePage(PagePath, example)));
        // The example unsubscribes right after its last call: its tick is the clock's retained one,
        // which exists once the node's ticker has ticked.
        await using (var probe = await server.ConnectAsync())
        {
            await probe.CallAsync("subscribe", new[] { "clock" });
            await probe.ReceiveJsonAsync();
        }

        var errorCode = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var tick = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var page = await chromium.OpenAsync(new Uri(server.RpcUri, PagePath), prepare: context =>
        {
            context.Console += (_, message) =>
            {
                if (message.Text == "-32050")
                {
                    errorCode.TrySetResult();
                }
                else if (TickLine().IsMatch(message.Text))
                {
                    tick.TrySetResult(); // the retained tick, or the next one
                }
            };
            return Task.CompletedTask;
        });

        var both = Task.WhenAll(errorCode.Task, tick.Task);
        Assert.True(await Task.WhenAny(both, Task.Delay(TestTimeouts.Long)) == both, page.Diagnostics);
        var logged = page.ConsoleMessages;
        Assert.True(logged.Contains("log: 5"), page.Diagnostics);
        Assert.DoesNotContain(logged, m => m.StartsWith("page error", StringComparison.Ordinal));
    }

    private const string PagePath = "/readme-example.html";

    /// <summary>The first html block under "## From a browser".</summary>
    private static string ReadmeExample()
    {
        var readme = File.ReadAllText(Path.Combine(ExternalProcess.RepositoryRoot(), "README.md"));
        var section = readme[readme.IndexOf("## From a browser", StringComparison.Ordinal)..];
        var match = HtmlBlock().Match(section);
        Assert.True(match.Success, "README: no html block under \"From a browser\"");
        Assert.True(match.Groups[1].Value.Split('\n').Length <= 15, "README: the browser example grew past 15 lines");
        return match.Groups[1].Value;
    }

    /// <summary>Answers <paramref name="path"/> with <paramref name="html"/> ahead of the app's own endpoints.</summary>
    private sealed class ServePage(string path, string html) : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use(async (context, proceed) =>
            {
                if (context.Request.Path != path)
                {
                    await proceed();
                    return;
                }

                context.Response.ContentType = "text/html; charset=utf-8";
                await context.Response.WriteAsync(html);
            });
            next(app);
        };
    }

    [GeneratedRegex("```html\n(.*?)```", RegexOptions.Singleline)]
    private static partial Regex HtmlBlock();

    [GeneratedRegex(@"^tick \d+$")]
    private static partial Regex TickLine();
}
