using System.Text.Json;
using ActorRpc.DemoHost;
using ActorRpc.Testing;
using ActorRpc.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace ActorRpc.Tests.Browser;

/// <summary>
/// Issue 15: tests/browser/module-test.html imports <c>/actorrpc.js</c> as a test server serves it
/// (<c>MapActorRpcBrowserClient</c>) and checks the client against that real server in Chromium:
/// calls, errors, subscribe and unsubscribe, a call from the server, and a reconnect after the server
/// restarted on the same port. The page reports each check in <c>window.results</c>.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class ModulePageSpec(Chromium chromium)
{
    /// <summary>Every check the page makes, in order: a page that skipped one fails too.</summary>
    private static readonly string[] Checks =
    [
        "connected: state",
        "call: positional params",
        "call: named params",
        "error: rejects with an RpcError",
        "error: code and message",
        "subscribe: subscription's topic",
        "subscribe: the notification",
        "subscribe: callback's topic",
        "unsubscribe: nothing in between",
        "unsubscribe: no notification n=2 reached the client at all",
        "server call: the handler's result comes back",
        "server call: the servercall event",
        "server call: the handler gets the request's id",
        "server call: unknown method refused",
        "reconnect: state",
        "reconnect: a call succeeds",
        "reconnect: the subscription was made again",
        "reconnect: the re-made subscription delivers",
        "close: state",
    ];

    private static readonly string PageFolder = Path.Combine(ExternalProcess.RepositoryRoot(), "tests", "browser");

    [Fact]
    public async Task ModulePage_RealServer_CallsErrorsTopicsServerCallsAndReconnectAfterRestart()
    {
        var server = await StartServerAsync(port: 0);
        try
        {
            await using var page = await chromium.OpenAsync(new Uri(server.BaseAddress, "/module-test.html"));
            await WaitForPhaseAsync(page, "awaiting-restart");

            // A new server on the same port: the page's client reconnects to it by itself. The page's
            // bound on that starts only once it is told the server is up (the stop and start are ours).
            var port = server.BaseAddress.Port;
            await server.DisposeAsync();
            server = null;
            server = await RestartAsync(port);
            await page.Page.EvaluateAsync("() => window.serverRestarted()");

            var results = await WaitForPhaseAsync(page, "done");
            Assert.Equal(Checks, results.Select(result => result.Name));
        }
        finally
        {
            if (server is not null)
            {
                await server.DisposeAsync();
            }
        }
    }

    /// <summary>Starts the server again on <paramref name="port"/>, which another test's server may briefly hold.</summary>
    private static Task<ActorRpcTestServer> RestartAsync(int port) => LoopbackHost.RebindAsync(() => StartServerAsync(port));

    /// <summary>Waits until the page reached <paramref name="phase"/> or failed, and returns its checks so far, all passed.</summary>
    private static async Task<IReadOnlyList<CheckResult>> WaitForPhaseAsync(BrowserPage page, string phase)
    {
        try
        {
            await page.Page.WaitForFunctionAsync("phase => ['failed', phase].includes(document.body.dataset.phase)", phase);
        }
        catch (Microsoft.Playwright.PlaywrightException ex)
        {
            throw new InvalidOperationException(
                $"The page did not reach '{phase}'.\nChecks: {await ResultsTextAsync(page)}\nThe page logged:\n{page.Diagnostics}", ex);
        }

        var results = JsonSerializer.Deserialize<CheckResult[]>(await ResultsTextAsync(page), JsonSerializerOptions.Web) ?? [];
        var failed = results.Where(result => !result.Ok).ToList();
        Assert.True(
            failed.Count == 0 && await page.Page.EvaluateAsync<string>("() => document.body.dataset.phase") == phase,
            $"The page failed: {string.Join("; ", failed.Select(result => $"{result.Name}: {result.Detail}"))}\nThe page logged:\n{page.Diagnostics}");
        return results;
    }

    private static Task<string> ResultsTextAsync(BrowserPage page) => page.Page.EvaluateAsync<string>("() => JSON.stringify(window.results ?? [])");

    /// <summary>
    /// A server with the demo's add, computer_says_no and ask_client, a "news" topic and publish_test
    /// (publishes with the server's ITopicPublisher, as application code would), serving the page,
    /// its script and the browser client.
    /// </summary>
    private static Task<ActorRpcTestServer> StartServerAsync(int port) => ActorRpcTestServer.StartAsync(
        rpc =>
        {
            rpc.AddMethod("add", DemoMethods.Add);
            rpc.AddMethod("computer_says_no", DemoMethods.ComputerSaysNo);
            rpc.AddMethod("ask_client", DemoMethods.AskClientAsync);
            rpc.AddMethod("publish_test", (string topic, JsonElement data, RpcContext context) =>
            {
                context.Services.GetRequiredService<ITopicPublisher>().Publish(topic, data);
                return true;
            });
            rpc.AddTopic(DemoMethods.NewsTopic);
        },
        options =>
        {
            options.Port = port;
            options.ConfigureApp = app =>
            {
                app.MapActorRpcBrowserClient();
                app.MapGet("/module-test.html", () => TypedResults.PhysicalFile(Path.Combine(PageFolder, "module-test.html"), "text/html; charset=utf-8"));
                app.MapGet("/module-test.js", () => TypedResults.PhysicalFile(Path.Combine(PageFolder, "module-test.js"), "text/javascript; charset=utf-8"));
            };
        });

    private sealed record CheckResult(string Name, bool Ok, string Detail);
}
