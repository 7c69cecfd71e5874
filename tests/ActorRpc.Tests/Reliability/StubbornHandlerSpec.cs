using System.Net;
using System.Text;
using ActorRpc.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace ActorRpc.Tests.Reliability;

/// <summary>
/// Issue 12 (attacker review): a handler that ignores its cancelled token keeps its place among the
/// node's handlers (MaxNodeHandlers) while it runs, however its call ended for the client: given up by
/// <c>$/cancelRequest</c>, or abandoned with its aborted POST. Otherwise call, cancel, repeat would run
/// any number of handlers on a node limited to one.
/// </summary>
public sealed class StubbornHandlerSpec
{
    private readonly TaskCompletionSource _release = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _running;

    [Fact]
    public async Task CancelledCall_HandlerIgnoresItsToken_KeepsItsPlaceUntilItReturns()
    {
        await using var server = await RpcServer.StartAsync(Configure, "--ActorRpc:Limits:MaxNodeHandlers=1");
        await using var socket = await server.ConnectAsync();
        await socket.SendAsync("""{"jsonrpc":"2.0","method":"stubborn","id":1}""");
        await Eventually.AssertAsync(() => Assert.Equal(1, Volatile.Read(ref _running)));
        await socket.SendAsync("""{"jsonrpc":"2.0","method":"$/cancelRequest","params":{"id":1}}""");
        JsonAssert.Error(await socket.ReceiveJsonAsync(), -32800);

        // The cancelled handler still runs: the node's one place is still taken.
        JsonAssert.Error(await socket.CallAsync("quick"), -32000);

        _release.TrySetResult();
        await Eventually.AssertAsync(async () => Assert.Equal(1, JsonAssert.Result(await socket.CallAsync("quick")).GetInt32()));
    }

    [Fact]
    public async Task AbortedPost_HandlerIgnoresItsToken_KeepsItsPlaceUntilItReturns()
    {
        await using var server = await RpcServer.StartAsync(Configure, "--ActorRpc:Limits:MaxNodeHandlers=1");
        using (var abort = new CancellationTokenSource())
        {
            var post = server.Http.PostAsync(server.RpcUri, Json("""{"jsonrpc":"2.0","method":"stubborn"}"""), abort.Token);
            await Eventually.AssertAsync(() => Assert.Equal(1, Volatile.Read(ref _running)));
            await abort.CancelAsync(); // the client gives up on its POST
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => post);
        }

        using var busy = await server.Http.PostAsync(server.RpcUri, Json("""{"jsonrpc":"2.0","method":"quick","id":1}"""));
        Assert.Equal(HttpStatusCode.ServiceUnavailable, busy.StatusCode);

        _release.TrySetResult();
        await Eventually.AssertAsync(async () =>
        {
            using var answered = await server.Http.PostAsync(server.RpcUri, Json("""{"jsonrpc":"2.0","method":"quick","id":1}"""));
            Assert.Equal(HttpStatusCode.OK, answered.StatusCode);
        });
    }

    private static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");

    private void Configure(WebApplicationBuilder builder) =>
        builder.Services.AddActorRpc()
            .AddMethod("quick", () => 1)
            .AddMethod("stubborn", StubbornAsync);

    // A handler that ignores its token: CPU work, a blocking library call, an API without a token.
    private async Task<int> StubbornAsync()
    {
        Interlocked.Increment(ref _running);
        await _release.Task;
        Interlocked.Decrement(ref _running);
        return 0;
    }
}
