using ActorRpc.Tests.Infrastructure;
using System.Text.Json;

namespace ActorRpc.Tests.Sessions;

/// <summary>Single WebSocket calls of local task methods, answered from the handler's thread (DirectCompletions).</summary>
public sealed class SessionDirectCompletionsSpec : SessionSpecBase
{
    [Fact]
    public async Task LocalTask_SingleCall_HandlerThreadAnswersAndReleases()
    {
        var gate = UseHeldLocalTask();
        var session = StartSession(singleExchange: false);
        Send(session, """{"jsonrpc":"2.0","method":"held","id":7}""");

        await AwaitAssertAsync(() => Assert.Equal(1, gate.Started));
        gate.Release("done");

        await AwaitAssertAsync(() => Assert.Single(Transport.Sent));
        var response = JsonDocument.Parse(Transport.Sent.Single()).RootElement;
        Assert.Equal("done", response.GetProperty("result").GetString());
        Assert.Equal(7, response.GetProperty("id").GetInt32());
        await AwaitAssertAsync(() => Assert.Equal(0, Transport.InFlight));
        await Router.ExpectNoMsgAsync(TestTimeouts.Short); // started by the session itself, not through the router
    }

    [Fact]
    public async Task LocalTask_TimedOutThenHandlerFinishes_OnlyTheTimeoutIsWritten()
    {
        var gate = UseHeldLocalTask();
        var session = StartSession(singleExchange: false, new RpcLimitsOptions { HandlerTimeout = TimeSpan.FromMilliseconds(100) });
        Send(session, """{"jsonrpc":"2.0","method":"held","id":1}""");

        await AwaitAssertAsync(() => Assert.Single(Transport.Sent), TimeSpan.FromSeconds(5));
        Assert.Equal(-32001, JsonDocument.Parse(Transport.Sent.Single()).RootElement.GetProperty("error").GetProperty("code").GetInt32());
        Assert.True(gate.Token.IsCancellationRequested);

        gate.Release("late"); // The handler's own thread now tries to answer too: it must find the call gone.
        await AwaitAssertAsync(() => Assert.Equal(1, gate.Finished));
        await ExpectNoMsgAsync(TestTimeouts.Short); // "Nothing happens": time for a wrong second answer to reach the transport.
        Assert.Single(Transport.Sent);
        Assert.Equal(0, Transport.InFlight);
    }
}
