using ActorRpc.Tests.Infrastructure;
using Microsoft.Playwright;

namespace ActorRpc.Tests.Browser;

/// <summary>
/// One headless Chromium for every browser spec: Debian's <c>/usr/bin/chromium</c>, driven by
/// Playwright; Playwright's own browser downloads are never used. When it is missing it is installed
/// first (tests/browser/install-chromium.sh, which .ci/run also runs), so the README's test command
/// needs no step by hand. When it cannot start, every browser spec fails with the reason (never skips).
/// </summary>
public sealed class Chromium : IAsyncLifetime
{
    public const string ExecutablePath = "/usr/bin/chromium";

    private static readonly TimeSpan InstallTimeout = TimeSpan.FromMinutes(5);

    private IPlaywright? _playwright;
    private IBrowser? _browser;
    private Exception? _launchError;

    public async Task InitializeAsync()
    {
        // Playwright's own waits (auto-waiting locators, Expect) get the suite's long bound.
        Assertions.SetDefaultExpectTimeout((float)TestTimeouts.Long.TotalMilliseconds);
        try
        {
            await InstallIfMissingAsync();
            // Spawns Playwright's driver (node): bounded, so a driver that never answers fails the specs instead of hanging them.
            _playwright = await Playwright.CreateAsync().WaitAsync(TestTimeouts.Long);
            _browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
            {
                ExecutablePath = ExecutablePath,
                Headless = true,
                Args = LaunchArguments(),
                Timeout = (float)TestTimeouts.Long.TotalMilliseconds,
            });
        }
        catch (Exception ex)
        {
            // Reported by each spec that needs the browser, as its failure.
            _launchError = ex;
        }
    }

    /// <summary>
    /// Chromium's sandbox cannot start as root (CI runs as root), so only there it is turned off;
    /// the pages are the tests' own. Any other user keeps the sandbox.
    /// </summary>
    private static string[] LaunchArguments() =>
        Environment.UserName == "root" ? ["--no-sandbox", "--disable-dev-shm-usage"] : ["--disable-dev-shm-usage"];

    /// <summary>
    /// Whether Chromium is there to run: the file exists and is executable, the same test as
    /// install-chromium.sh's <c>[ -x /usr/bin/chromium ]</c>.
    /// </summary>
    private static bool IsInstalled() =>
        File.Exists(ExecutablePath) && (OperatingSystem.IsWindows() || (File.GetUnixFileMode(ExecutablePath) & (UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute)) != 0);

    private static async Task InstallIfMissingAsync()
    {
        if (IsInstalled())
        {
            return;
        }

        var script = Path.Combine(ExternalProcess.RepositoryRoot(), "tests", "browser", "install-chromium.sh");
        var install = await ExternalProcess.RunAsync("bash", [script], ExternalProcess.RepositoryRoot(), InstallTimeout);
        if (install.ExitCode != 0)
        {
            throw new InvalidOperationException($"Installing chromium failed (exit {install.ExitCode}):\n{install.Output}");
        }
    }

    /// <summary>A new page (in a context of its own) on <paramref name="url"/>, recording what the page logs and requests.</summary>
    /// <param name="url">Where the page goes first.</param>
    /// <param name="width">The viewport's width.</param>
    /// <param name="height">The viewport's height.</param>
    /// <param name="prepare">Runs on the new context before the page opens (routes, for instance).</param>
    public async Task<BrowserPage> OpenAsync(Uri url, int width = 1280, int height = 900, Func<IBrowserContext, Task>? prepare = null)
    {
        if (_browser is null)
        {
            throw new InvalidOperationException(
                $"Chromium did not start from {ExecutablePath} (tests/browser/install-chromium.sh installs it): {_launchError?.Message}",
                _launchError);
        }

        var context = await _browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = width, Height = height } });
        context.SetDefaultTimeout((float)TestTimeouts.Long.TotalMilliseconds);
        if (prepare is not null)
        {
            await prepare(context);
        }

        var page = new BrowserPage(context, await context.NewPageAsync());
        await page.Page.GotoAsync(url.ToString());
        return page;
    }

    public async Task DisposeAsync()
    {
        if (_browser is not null)
        {
            await _browser.CloseAsync().WaitAsync(TestTimeouts.Long);
        }

        _playwright?.Dispose();
    }
}
