using System.Collections.Concurrent;
using ActorRpc.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace ActorRpc.Tests.Client;

/// <summary>
/// The demo node (add, echo, divide, sleep, publish, computer_says_no, the news topic) plus what the
/// client specs need to see from the server's side: <c>hold</c> (a handler that reports when it
/// starts and when its token fires), <c>fail_with_data</c>, and <c>calc.*</c> for proxies with a prefix.
/// </summary>
public sealed class ClientServerFixture : RpcServerFixture
{
    protected override void Configure(WebApplicationBuilder builder) =>
        builder.Services.AddActorRpc()
            .AddMethods<ClientSpecMethods>()
            .AddMethods<ProxyCalc>("calc");
}

/// <summary>Handlers whose side of a call the client specs observe.</summary>
public sealed class ClientSpecMethods
{
    public const int DataErrorCode = -32042;

    /// <summary>Per key: completes when <c>hold</c> started, and when its token fired.</summary>
    public static readonly ConcurrentDictionary<string, (TaskCompletionSource Started, TaskCompletionSource Cancelled)> Holds = new();

    public static (TaskCompletionSource Started, TaskCompletionSource Cancelled) Probe(string key) =>
        Holds.GetOrAdd(key, _ => (new(TaskCreationOptions.RunContinuationsAsynchronously), new(TaskCreationOptions.RunContinuationsAsynchronously)));

    /// <summary>Waits until cancelled, reporting both moments under <paramref name="key"/>.</summary>
    [RpcMethod]
    public static async Task<string> Hold(string key, CancellationToken cancellationToken)
    {
        var probe = Probe(key);
        probe.Started.TrySetResult();
        try
        {
            await Task.Delay(Timeout.Infinite, cancellationToken);
            return "never";
        }
        catch (OperationCanceledException)
        {
            probe.Cancelled.TrySetResult();
            throw;
        }
    }

    [RpcMethod]
    public static void FailWithData() => throw new RpcException(DataErrorCode, "Nope", new { reason = "because", count = 7 });
}

/// <summary>Methods served under the prefix <c>calc</c>, for proxies.</summary>
public sealed class ProxyCalc
{
    [RpcMethod]
    public static long Twice(long x) => 2 * x;

    [RpcMethod]
    public static long AddThree(long a, long b, long c) => a + b + c;
}
