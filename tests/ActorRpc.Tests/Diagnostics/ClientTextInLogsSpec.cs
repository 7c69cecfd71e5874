using ActorRpc.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ActorRpc.Tests.Diagnostics;

/// <summary>
/// What a client can make the server log (issue #12): ids echoed at any length, and a traceback per
/// call of a handler it makes throw. Both are bounded.
/// </summary>
public sealed class ClientTextInLogsSpec
{
    private static readonly string HugeId = "id-" + new string('x', 20_000);

    [Fact]
    public async Task HandlerFault_RepeatedByOneClient_OneTracebackPerMethodWithinTheWindow()
    {
        await using var server = await RpcServer.StartAsync(builder => builder.Services.AddActorRpc()
            .AddMethod("explode", new Func<int>(() => throw new InvalidOperationException("boom")))
            .AddMethod("sentinel", new Func<int>(() => throw new NotSupportedException("last"))));
        await using var socket = await server.ConnectAsync();
        for (var i = 0; i < 20; i++)
        {
            JsonAssert.Error(await socket.CallAsync("explode"), -32603);
        }

        // Each fault is logged before its reply is sent, and the log keeps order: once the sentinel's
        // entry is there, every entry the 20 faults made is there too.
        JsonAssert.Error(await socket.CallAsync("sentinel"), -32603);
        await server.Logs.WaitForAsync(e => e.Message.Contains("Method [sentinel] failed", StringComparison.Ordinal));

        Assert.Single(server.Logs.Entries, e => e.Level == LogLevel.Error && e.Message.Contains("Method [explode] failed", StringComparison.Ordinal));
    }

    [Fact]
    public async Task HandlerFault_HugeRequestId_LoggedBounded()
    {
        await using var server = await RpcServer.StartAsync(builder => builder.Services.AddActorRpc()
            .AddMethod("explode", new Func<int>(() => throw new InvalidOperationException("boom"))));
        await using var socket = await server.ConnectAsync();

        await socket.SendAsync($$"""{"jsonrpc":"2.0","method":"explode","id":"{{HugeId}}"}""");
        JsonAssert.Error(await socket.ReceiveJsonAsync(), -32603);

        var logged = await server.Logs.WaitForAsync(e => e.Message.Contains("Method [explode] failed", StringComparison.Ordinal));
        Assert.Contains("id-xxx", logged.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(new string('x', 200), logged.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task HandlerTimeout_HugeRequestId_WarningEchoesItBounded()
    {
        await using var server = await RpcServer.StartAsync(null, "--ActorRpc:Limits:HandlerTimeout=00:00:00.300");
        await using var socket = await server.ConnectAsync();

        await socket.SendAsync($$"""{"jsonrpc":"2.0","method":"sleep","params":[10000],"id":"{{HugeId}}"}""");
        JsonAssert.Error(await socket.ReceiveJsonAsync(), -32001);

        var logged = await server.Logs.WaitForAsync(e => e.Message.Contains("HandlerTimeout", StringComparison.Ordinal));
        Assert.Contains("id-xxx", logged.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(new string('x', 200), logged.Message, StringComparison.Ordinal);
    }
}
