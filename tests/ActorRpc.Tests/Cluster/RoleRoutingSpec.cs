using Akka.Actor;
using ActorRpc.Methods.Definition;
using ActorRpc.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace ActorRpc.Tests.Cluster;

/// <summary>Methods hosted on nodes of a role are reachable from every node, through the cluster.</summary>
public sealed class RoleRoutingSpec
{
    [Fact]
    public async Task RoleMethod_CalledOnNodeWithoutRole_RunsOnNodeWithRoleAndRepliesOnCallersSocket()
    {
        await using var cluster = await ClusterNodes.StartAsync(
            2,
            configure: _ => AddRoleMethods,
            settings: node => node == 1 ? ["--Cluster:Roles:0=compute"] : []);
        var computeNode = Akka.Cluster.Cluster.Get(ClusterNodes.SystemOf(cluster[1])).SelfAddress.ToString();

        await using var socket = await cluster[0].ConnectAsync();
        var result = JsonAssert.Result(await socket.CallAsync("where_am_i", new { caller = "x" }));

        Assert.Equal(computeNode, result.GetProperty("node").GetString());
        Assert.Equal("websocket", result.GetProperty("transport").GetString());
        Assert.Equal("x", result.GetProperty("caller").GetString());
        Assert.Contains("where_am_i", JsonAssert.Result(await socket.CallAsync("get_methods")).EnumerateArray().Select(e => e.GetString()));

        // Errors come back the same way: the handler's code, on the caller's socket.
        var error = JsonAssert.Error(await socket.CallAsync("refuse_remotely"), -32042);
        Assert.Equal("Refused on the compute node.", error.GetProperty("message").GetString());
    }

    [Fact]
    public async Task RoleMethod_NoNodeHasTheRole_MethodNotFound()
    {
        await using var node = await RpcServer.StartAsync(AddRoleMethods);
        await using var socket = await node.ConnectAsync();
        JsonAssert.Error(await socket.CallAsync("where_am_i", new { caller = "x" }), -32601);
        Assert.Equal("pong", JsonAssert.Result(await socket.CallAsync("ping")).GetString());
    }

    [Fact]
    public async Task RoleMethod_ClientCancelsOrDisconnects_HandlerOnTheOtherNodeIsCancelled()
    {
        var held = new Reliability.HeldCalls();
        await using var cluster = await ClusterNodes.StartAsync(
            2,
            configure: node => node == 1
                ? builder => builder.Services.AddActorRpc().AddMethod(Reliability.HeldCalls.MethodName, (string tag, CancellationToken token) => held.HoldAsync(tag, token), role: "compute")
                : builder => builder.Services.AddActorRpc().AddMethod(Reliability.HeldCalls.MethodName, (string tag) => tag, role: "compute"),
            settings: node => node == 1 ? ["--Cluster:Roles:0=compute"] : []);
        await using var socket = await cluster[0].ConnectAsync();

        await socket.SendAsync("""{"jsonrpc":"2.0","method":"hold","params":{"tag":"remote"},"id":1}""");
        await Eventually.AssertAsync(() => Assert.Equal(1, held.Running));
        await socket.SendAsync("""{"jsonrpc":"2.0","method":"$/cancelRequest","params":{"id":1}}""");

        JsonAssert.Error(await socket.ReceiveJsonAsync(), -32800);
        await held.Cancelled("remote").DefaultTimeout();

        var leaving = await cluster[0].ConnectAsync();
        await leaving.SendAsync("""{"jsonrpc":"2.0","method":"hold","params":{"tag":"gone"},"id":2}""");
        await Eventually.AssertAsync(() => Assert.Equal(1, held.Running));
        leaving.Socket.Abort();
        await leaving.DisposeAsync();
        await held.Cancelled("gone").DefaultTimeout();
    }

    private static void AddRoleMethods(WebApplicationBuilder builder) => builder.Services.AddActorRpc()
        .AddMethod(
            "where_am_i",
            (string caller, RpcContext context) => new
            {
                node = Akka.Cluster.Cluster.Get(context.Services.GetRequiredService<ActorSystem>()).SelfAddress.ToString(),
                transport = context.Transport,
                caller,
            },
            role: "compute")
        .AddMethod("refuse_remotely", new Action(() => throw new RpcException(-32042, "Refused on the compute node.")), role: "compute");
}
