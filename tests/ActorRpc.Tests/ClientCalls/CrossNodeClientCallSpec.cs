using ActorRpc.Tests.Cluster;
using ActorRpc.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace ActorRpc.Tests.ClientCalls;

/// <summary>
/// Issue 14: a client is called on whichever node holds its socket. Its session id names that node,
/// so IRpcClients on another node finds it, and a handler of another role calls back through it.
/// </summary>
public sealed class CrossNodeClientCallSpec
{
    [Fact]
    public async Task ClientOnNodeA_CalledFromNodeB_ByIdAndFromARoleHandler_ThenGoneOnceItLeft()
    {
        await using var cluster = await ClusterNodes.StartAsync(
            2,
            configure: _ => AddMethods,
            settings: node => node == 1 ? ["--Cluster:Roles:0=compute"] : []);
        var socket = await cluster[0].ConnectAsync();
        var sessionId = JsonAssert.Result(await socket.CallAsync("session_id")).GetString()!;

        // By session id, from a service of the other node.
        var clients = cluster[1].App.Services.GetRequiredService<IRpcClients>();
        var called = clients.Get(sessionId).CallAsync<string>("name", new[] { "from B" });
        var request = await socket.ReceiveJsonAsync();
        JsonAssert.Equivalent("""{"jsonrpc":"2.0","id":"s:1","method":"name","params":["from B"]}""", request.GetRawText());
        await ClientCallApp.SendResultAsync(socket, "s:1", "\"Ada\"");
        Assert.Equal("Ada", await called.DefaultTimeout());

        // From a handler that runs on the compute node: its context's client is on node A.
        await socket.SendAsync("""{"jsonrpc":"2.0","method":"ask_from_compute","id":7}""");
        var callBack = await socket.ReceiveJsonAsync();
        Assert.Equal("s:2", callBack.GetProperty("id").GetString());
        Assert.Equal("where", callBack.GetProperty("method").GetString());
        await ClientCallApp.SendResultAsync(socket, "s:2", "\"here\"");
        var answer = await socket.ReceiveJsonAsync();
        Assert.Equal(7, answer.GetProperty("id").GetInt32());
        Assert.Equal("here@compute", JsonAssert.Result(answer).GetString());

        // A call waiting on node B when the socket on node A goes: gone at once, not at the timeout.
        var waiting = clients.Get(sessionId).CallAsync("name");
        Assert.True(ClientCallApp.IsServerRequest(await socket.ReceiveJsonAsync()));
        socket.Socket.Abort();
        await socket.DisposeAsync();
        await Assert.ThrowsAsync<RpcClientGoneException>(() => waiting.DefaultTimeout());
        await Assert.ThrowsAsync<RpcClientGoneException>(() => clients.Get(sessionId).NotifyAsync("name").DefaultTimeout());
    }

    private static void AddMethods(WebApplicationBuilder builder) => builder.Services.AddActorRpc()
        .AddMethod("session_id", (RpcContext context) => context.SessionId)
        .AddMethod(
            "ask_from_compute",
            async (RpcContext context, CancellationToken token) => await context.Client.CallAsync<string>("where", null, token) + "@compute",
            role: "compute");
}
