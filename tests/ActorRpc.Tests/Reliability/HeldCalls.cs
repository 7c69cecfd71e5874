using System.Collections.Concurrent;
using ActorRpc.Methods.Definition;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace ActorRpc.Tests.Reliability;

/// <summary>
/// A method, <c>hold</c>, whose calls wait until the test releases them or their token is
/// cancelled, and which records what the server did to them: how many ran at once, and which
/// tokens fired. Lets a test see the server's side of flow control and cancellation.
/// </summary>
public sealed class HeldCalls
{
    public const string MethodName = "hold";

    private readonly TaskCompletionSource _release = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly ConcurrentDictionary<string, TaskCompletionSource> _cancelled = new();
    private int _running;
    private int _maxRunning;
    private int _started;

    public int Running => Volatile.Read(ref _running);

    public int MaxRunning => Volatile.Read(ref _maxRunning);

    public int Started => Volatile.Read(ref _started);

    public void Configure(WebApplicationBuilder builder) =>
        builder.Services.AddActorRpc().AddMethod(MethodName, HoldAsync);

    public void ReleaseAll() => _release.TrySetResult();

    /// <summary>Completes when the token of the call with this tag was cancelled.</summary>
    public Task Cancelled(string tag) => _cancelled.GetOrAdd(tag, _ => new(TaskCreationOptions.RunContinuationsAsynchronously)).Task;

    /// <summary>The handler itself, for tests that register it their own way (on a cluster role, say).</summary>
    public async Task<string> HoldAsync(string tag, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _started);
        var running = Interlocked.Increment(ref _running);
        int max;
        while (running > (max = Volatile.Read(ref _maxRunning)) && Interlocked.CompareExchange(ref _maxRunning, running, max) != max)
        {
        }

        try
        {
            await _release.Task.WaitAsync(cancellationToken);
            return tag;
        }
        finally
        {
            if (cancellationToken.IsCancellationRequested)
            {
                _cancelled.GetOrAdd(tag, _ => new(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
            }

            Interlocked.Decrement(ref _running);
        }
    }
}
