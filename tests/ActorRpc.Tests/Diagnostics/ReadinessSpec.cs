using System.Net;
using System.Net.WebSockets;
using System.Text;
using ActorRpc.Gateway.Hosting;
using ActorRpc.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace ActorRpc.Tests.Diagnostics;

/// <summary>
/// <c>/healthz</c> says the process is alive; <c>/ready</c> says the node is an Up cluster member
/// that accepts connections, and turns false before a stopping node closes its sockets.
/// </summary>
[Collection(DiagnosticsCollection.Name)]
public sealed class ReadinessSpec
{
    [Fact]
    public async Task HealthzAndReady_RunningNode_Ok()
    {
        await using var server = await RpcServer.StartAsync();
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(server, "/healthz"));
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(server, "/ready"));
    }

    [Fact]
    public async Task Ready_NodeStoppedAccepting_ServiceUnavailableWhileHealthzStaysOk()
    {
        await using var server = await RpcServer.StartAsync();
        server.App.Services.GetRequiredService<NodeReadiness>().StopAccepting("test");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, await StatusAsync(server, "/ready"));
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(server, "/healthz"));
        var refused = await Assert.ThrowsAsync<WebSocketException>(() => server.ConnectAsync());
        Assert.Contains("503", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Post_NodeStoppedAccepting_ServiceUnavailableWithRetryAfter()
    {
        await using var server = await RpcServer.StartAsync();
        server.App.Services.GetRequiredService<NodeReadiness>().StopAccepting("test");

        using var content = new StringContent("""{"jsonrpc":"2.0","method":"ping","id":1}""", Encoding.UTF8, "application/json");
        using var response = await server.Http.PostAsync(server.RpcUri, content).DefaultTimeout();

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(1), response.Headers.RetryAfter?.Delta);
        Assert.Contains("shutting down", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task WebSocketUpgrade_NodeStoppedAccepting_ServiceUnavailableWithRetryAfter()
    {
        await using var server = await RpcServer.StartAsync();
        server.App.Services.GetRequiredService<NodeReadiness>().StopAccepting("test");

        using var socket = new ClientWebSocket();
        socket.Options.CollectHttpResponseDetails = true;
        await Assert.ThrowsAsync<WebSocketException>(() => socket.ConnectAsync(server.WebSocketUri, CancellationToken.None).DefaultTimeout());

        Assert.Equal(HttpStatusCode.ServiceUnavailable, socket.HttpStatusCode);
        var retryAfter = socket.HttpResponseHeaders!.Single(header => string.Equals(header.Key, "Retry-After", StringComparison.OrdinalIgnoreCase));
        Assert.Equal("1", Assert.Single(retryAfter.Value));
    }

    [Fact]
    public async Task Stop_OpenSocket_ReadyFailsBeforeTheSocketIsClosed()
    {
        await using var server = await RpcServer.StartAsync();
        await using var socket = await server.ConnectAsync();
        JsonAssert.Result(await socket.CallAsync("ping"));
        var closed = socket.ReceiveCloseAsync();

        var order = new List<string>();
        HttpStatusCode? readyWhenUnready = null;
        var readiness = server.App.Services.GetRequiredService<NodeReadiness>();
        readiness.StoppedAccepting += _ =>
        {
            // Runs as the node turns unready, before it may close any socket: ask /ready over HTTP now,
            // blocking this callback so that nothing else of the shutdown happens meanwhile. A close
            // frame already sent would reach the client during this round trip.
            readyWhenUnready = StatusAsync(server, "/ready").GetAwaiter().GetResult();
            lock (order)
            {
                order.Add(closed.IsCompleted ? "closed" : "unready");
            }
        };

        var stopping = Task.Run(() => server.App.StopAsync());
        var (status, _) = await closed;
        lock (order)
        {
            order.Add("closed");
        }

        await stopping.DefaultTimeout();
        Assert.Equal(WebSocketCloseStatus.EndpointUnavailable, status);
        Assert.Equal(["unready", "closed"], order);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, readyWhenUnready);
    }

    [Fact]
    public async Task ClusterLeave_OpenSocket_NotReadyThenSocketClosedWithGoingAway()
    {
        await using var server = await RpcServer.StartAsync();
        await using var socket = await server.ConnectAsync();
        JsonAssert.Result(await socket.CallAsync("ping"));
        var closed = socket.ReceiveCloseAsync();
        var readiness = server.App.Services.GetRequiredService<NodeReadiness>();
        var unreadyBeforeClose = new TaskCompletionSource<(HttpStatusCode Ready, bool Closed)>(TaskCreationOptions.RunContinuationsAsynchronously);
        readiness.StoppedAccepting += _ =>
        {
            // As in the stop spec: ask /ready while the shutdown waits, then see whether a close came meanwhile.
            var ready = StatusAsync(server, "/ready").GetAwaiter().GetResult();
            unreadyBeforeClose.TrySetResult((ready, closed.IsCompleted));
        };

        var cluster = Akka.Cluster.Cluster.Get(Cluster.ClusterNodes.SystemOf(server));
        cluster.Leave(cluster.SelfAddress);

        var (ready, closedFirst) = await unreadyBeforeClose.Task.DefaultTimeout();
        Assert.Equal(HttpStatusCode.ServiceUnavailable, ready);
        Assert.False(closedFirst);
        var (status, _) = await closed;
        Assert.Equal(WebSocketCloseStatus.EndpointUnavailable, status);
        Assert.False(readiness.IsAcceptingConnections);
    }

    private static async Task<HttpStatusCode> StatusAsync(RpcServer server, string path)
    {
        using var response = await server.Http.GetAsync(new Uri(path, UriKind.Relative)).DefaultTimeout();
        return response.StatusCode;
    }
}
