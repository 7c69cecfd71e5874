using Akka.Actor;
using ActorRpc.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace ActorRpc.Tests.Security;

/// <summary>
/// A guarded actor method: the guard is checked before the per-call actor is started, so a refused
/// call costs no actor at all.
/// </summary>
public sealed class ActorMethodGuardSpec
{
    [Fact]
    public async Task RequirePermission_RefusedCalls_HandlerActorNeverStarts()
    {
        var starts = new StartCounter();
        await using var app = await GuardApp.StartAsync(rpc => rpc
            .AddActorMethod("job", Props.Create(() => new CountingHandler(starts))).RequirePermission("jobs.run"));

        await using (var anonymous = await TestCaller.Anonymous.ConnectAsync(app))
        {
            GuardAssert.AuthenticationRequired(await anonymous.CallAsync("job", new[] { 1 }));
            GuardAssert.AuthenticationRequired(await anonymous.CallAsync("job"));

            // A refused notification is dropped as quietly as any notification's answer.
            await anonymous.SendAsync("""{"jsonrpc":"2.0","method":"job","params":[1]}""");
            await anonymous.ExpectNoMessageAsync();
        }

        await using (var lacking = await TestCaller.User("ada", permissions: ["jobs.read"]).ConnectAsync(app))
        {
            GuardAssert.NotPermitted(await lacking.CallAsync("job", new[] { 1 }));
        }

        Assert.Equal(0, starts.Count);

        await using var allowed = await TestCaller.User("ada", permissions: ["jobs.run"]).ConnectAsync(app);
        Assert.Equal("ada", GuardAssert.Allowed(await allowed.CallAsync("job", new[] { 1 })).GetString());
        Assert.Equal(1, starts.Count);
    }

    [Fact]
    public async Task RequireAuthorization_AnyUser_HandlerSeesTheUser()
    {
        var starts = new StartCounter();
        await using var app = await GuardApp.StartAsync(rpc => rpc
            .AddActorMethod("job", Props.Create(() => new CountingHandler(starts))).RequireAuthorization()
            .AddActorMethod("open_job", Props.Create(() => new CountingHandler(starts))));

        GuardAssert.AuthenticationRequired(await TestCaller.Anonymous.CallAsync(app, "job"));
        Assert.Equal(0, starts.Count);

        // Another registration of the same props stays open: the guard belongs to "job" alone.
        Assert.Equal("", GuardAssert.Allowed(await TestCaller.Anonymous.CallAsync(app, "open_job")).GetString());
        Assert.Equal("bob", GuardAssert.Allowed(await TestCaller.User("bob").CallAsync(app, "job")).GetString());
        Assert.Equal(2, starts.Count);
    }

    /// <summary>How many handler actors were constructed.</summary>
    private sealed class StartCounter
    {
        private int _count;

        public int Count => Volatile.Read(ref _count);

        public void Started() => Interlocked.Increment(ref _count);
    }

    /// <summary>Counts its start, then answers with the caller's name ("" when anonymous).</summary>
    private sealed class CountingHandler : ReceiveActor
    {
        public CountingHandler(StartCounter starts)
        {
            starts.Started();
            Receive<RpcInvocation>(call => Sender.Tell(new RpcReply(call.Context.User.Identity?.Name ?? "")));
        }
    }
}
