using System.Text.Json;
using ActorRpc.Client;
using ActorRpc.Testing;
using ActorRpc.Tests.Cluster;
using ActorRpc.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace ActorRpc.Tests.ClientCalls;

/// <summary>
/// Issue 14, both sides together: the server's handlers call methods the .NET client added with
/// <c>AddMethod</c>, on a test-kit node and across a cluster, and each way a call to the client can
/// end (a result, the client's error, an unknown method, a client that disconnects) reaches the
/// handler as the API says.
/// </summary>
public sealed class DotNetClientCallsSpec
{
    [Fact]
    public async Task HandlerCallsClientMethod_AnswerComesBackThroughTheCall()
    {
        await using var server = await StartAsync(new Outcomes());
        await using var client = await server.ConnectAsync();
        using var method = client.AddMethod("answer", (string question, long times) => string.Concat(Enumerable.Repeat(question, (int)times)));

        Assert.Equal("ab ab ", await client.CallAsync<string>("ask", "ab ", 2).DefaultTimeout());
    }

    [Fact]
    public async Task ClientMethodThrowsRpcCallException_HandlerGetsItsCodeMessageAndData()
    {
        var outcomes = new Outcomes();
        await using var server = await StartAsync(outcomes);
        await using var client = await server.ConnectAsync();
        using var method = client.AddMethod("answer", string (string question, long times) =>
            throw new RpcCallException(4001, "not today", JsonSerializer.SerializeToElement(new { question })));

        await client.CallAsync<string>("try_ask", "q").DefaultTimeout();

        var failure = Assert.IsType<RpcClientException>(await outcomes.Next());
        Assert.Equal(4001, failure.Code);
        Assert.Equal("not today", failure.Message);
        Assert.Equal("answer", failure.Method);
        Assert.Equal("q", failure.ErrorData!.Value.GetProperty("question").GetString());
    }

    [Fact]
    public async Task ClientWithoutTheMethod_HandlerGetsMethodNotFound()
    {
        var outcomes = new Outcomes();
        await using var server = await StartAsync(outcomes);
        await using var client = await server.ConnectAsync();

        await client.CallAsync<string>("try_ask", "q").DefaultTimeout();

        Assert.Equal(-32601, Assert.IsType<RpcClientException>(await outcomes.Next()).Code);
    }

    [Fact]
    public async Task ClientDisconnectsWhileItsMethodRuns_HandlerGetsRpcClientGoneException()
    {
        var outcomes = new Outcomes();
        await using var server = await StartAsync(outcomes, options => options.Settings["ActorRpc:Limits:ClientCallTimeout"] = "00:05:00");
        var client = await server.ConnectAsync(options => options.Reconnect.Enabled = false);
        var running = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var never = new TaskCompletionSource<string>();
        using var method = client.AddMethod("answer", (string question, long times) =>
        {
            running.TrySetResult();
            return never.Task;
        });

        var asked = client.CallAsync<string>("try_ask", "q");
        await running.Task.DefaultTimeout();
        await client.DisposeAsync();

        Assert.IsType<RpcClientGoneException>(await outcomes.Next());
        await Assert.ThrowsAsync<RpcConnectionLostException>(() => asked.DefaultTimeout()); // its own call ended with the connection
    }

    [Fact]
    public async Task ClientOnNodeA_CalledByIdFromNodeB_AnswersThroughItsMethod_LargeAnswersCrossToo()
    {
        const int Large = 300_000; // over Akka.Remote's own 128,000-byte frame: Cluster:MaxFrameSize lets it cross
        await using var cluster = await ClusterNodes.StartAsync(
            2,
            configure: _ => builder => builder.Services.AddActorRpc()
                .AddMethod("session_id", (RpcContext context) => context.SessionId)
                .AddMethod("large", () => new string('r', Large), role: "compute"),
            settings: node => node == 1 ? ["--Cluster:Roles:0=compute"] : []);
        await using var client = await ActorRpcClient.ConnectAsync(cluster[0].WebSocketUri);
        using var method = client.AddMethod("where", (string who) => who == "large" ? new string('c', Large) : $"{who}, here on A");
        var sessionId = await client.CallAsync<string>("session_id");

        var clients = cluster[1].App.Services.GetRequiredService<IRpcClients>();
        Assert.Equal("B, here on A", await clients.Get(sessionId!).CallAsync<string>("where", new[] { "B" }).DefaultTimeout());
        Assert.Equal(Large, (await clients.Get(sessionId!).CallAsync<string>("where", new[] { "large" }).DefaultTimeout())!.Length);
        Assert.Equal(Large, (await client.CallAsync<string>("large").DefaultTimeout())!.Length); // a routed call's answer from the compute node
    }

    private static Task<ActorRpcTestServer> StartAsync(Outcomes outcomes, Action<ActorRpcTestServerOptions>? options = null) =>
        ActorRpcTestServer.StartAsync(
            rpc => rpc
                .AddMethod("ask", (string question, long times, RpcContext context, CancellationToken token) =>
                    context.Client.CallAsync<string>("answer", new object[] { question, times }, token))
                .AddMethod("try_ask", async (string question, RpcContext context) =>
                {
                    try
                    {
                        // Without the handler's token, which a closing connection cancels too: the call must end by itself.
                        await context.Client.CallAsync<string>("answer", new object[] { question, 1 });
                        outcomes.Add(null);
                    }
                    catch (Exception ex)
                    {
                        outcomes.Add(ex);
                    }

                    return "done";
                }),
            options);

    /// <summary>How each <c>try_ask</c>'s call to its client ended (null: answered), in order.</summary>
    private sealed class Outcomes
    {
        private readonly System.Threading.Channels.Channel<Exception?> _outcomes = System.Threading.Channels.Channel.CreateUnbounded<Exception?>();

        public void Add(Exception? outcome) => _outcomes.Writer.TryWrite(outcome);

        public async Task<Exception?> Next()
        {
            using var timeout = new CancellationTokenSource(TestTimeouts.Long);
            return await _outcomes.Reader.ReadAsync(timeout.Token);
        }
    }
}
