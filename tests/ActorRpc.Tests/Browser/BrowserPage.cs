using System.Collections.Concurrent;
using ActorRpc.Tests.Infrastructure;
using Microsoft.Playwright;

namespace ActorRpc.Tests.Browser;

/// <summary>A page of <see cref="Chromium"/>, with what it logged and requested, for assertions and failure messages.</summary>
public sealed class BrowserPage : IAsyncDisposable
{
    private readonly IBrowserContext _context;
    private readonly ConcurrentQueue<string> _console = new();
    private readonly ConcurrentQueue<string> _requests = new();

    public BrowserPage(IBrowserContext context, IPage page)
    {
        _context = context;
        Page = page;
        page.Console += (_, message) => _console.Enqueue($"{message.Type}: {message.Text}");
        page.PageError += (_, error) => _console.Enqueue($"page error: {error}");
        page.Request += (_, request) => _requests.Enqueue(request.Url);
    }

    public IPage Page { get; }

    /// <summary>Everything the page wrote to its console, and its uncaught errors.</summary>
    public IReadOnlyCollection<string> ConsoleMessages => [.. _console];

    /// <summary>The URL of every request the page made (documents, scripts, styles, WebSockets).</summary>
    public IReadOnlyCollection<string> Requests => [.. _requests];

    /// <summary>The console's lines, for a failure message.</summary>
    public string Diagnostics => _console.IsEmpty ? "(the page logged nothing)" : string.Join('\n', _console);

    /// <summary>Closes the page's context, within <see cref="TestTimeouts.Long"/> so that a wedged driver fails the spec rather than hanging it.</summary>
    public ValueTask DisposeAsync() => new(_context.CloseAsync().WaitAsync(TestTimeouts.Long));
}
