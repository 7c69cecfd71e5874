using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using ActorRpc.Testing;
using ActorRpc.Tests.Infrastructure;
using Akka.Actor;
using Akka.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ActorRpc.Tests.Testing;

/// <summary>
/// Issue 14, the test kit: <see cref="ActorRpcTestServer"/> starts an isolated real node per test
/// with only what the test registers, and leaves nothing behind when disposed or when it fails to start.
/// </summary>
public sealed class ActorRpcTestServerSpec
{
    [Fact]
    public async Task StartAsync_TwoInParallel_OwnPortsOwnActorSystemsOwnMethods()
    {
        var starting = new[]
        {
            ActorRpcTestServer.StartAsync(rpc => rpc.AddMethod("left", () => "L")),
            ActorRpcTestServer.StartAsync(rpc => rpc.AddMethod("right", () => "R")),
        };
        var servers = await Task.WhenAll(starting).DefaultTimeout();
        await using var left = servers[0];
        await using var right = servers[1];

        Assert.NotEqual(left.Url.Port, right.Url.Port);
        Assert.NotEqual(left.ActorSystemName, right.ActorSystemName);
        Assert.NotEqual(RemotingPort(left), RemotingPort(right));
        Assert.Equal(new Uri($"ws://127.0.0.1:{left.Url.Port}/rpc"), left.Url);
        Assert.Equal(new Uri($"http://127.0.0.1:{left.Url.Port}/rpc"), left.HttpUrl);

        await using var toLeft = await RpcTestSocket.ConnectAsync(left.Url);
        await using var toRight = await RpcTestSocket.ConnectAsync(right.Url);
        Assert.Equal("L", JsonAssert.Result(await toLeft.CallAsync("left")).GetString());
        Assert.Equal("R", JsonAssert.Result(await toRight.CallAsync("right")).GetString());
        JsonAssert.Error(await toLeft.CallAsync("right"), -32601);
        JsonAssert.Error(await toRight.CallAsync("left"), -32601);
        JsonAssert.Error(await toLeft.CallAsync("ping"), -32601); // No demo method.

        // Each a cluster of one: neither joined the other.
        Assert.Single(Akka.Cluster.Cluster.Get(left.Services.GetRequiredService<ActorSystem>()).State.Members);
        Assert.Single(Akka.Cluster.Cluster.Get(right.Services.GetRequiredService<ActorSystem>()).State.Members);
    }

    [Fact]
    public async Task ActorSystemName_SharedWithSeedNodes_TheServersFormOneCluster()
    {
        await using var first = await ActorRpcTestServer.StartAsync(rpc => rpc.AddTopic("news"));
        var seed = Akka.Cluster.Cluster.Get(first.Services.GetRequiredService<ActorSystem>()).SelfAddress;
        await using var second = await ActorRpcTestServer.StartAsync(rpc => rpc.AddTopic("news"), options =>
        {
            options.ActorSystemName = first.ActorSystemName;
            options.Settings["Cluster:SeedNodes:0"] = seed.ToString();
        });

        await Eventually.AssertAsync(() =>
        {
            foreach (var server in new[] { first, second })
            {
                var members = Akka.Cluster.Cluster.Get(server.Services.GetRequiredService<ActorSystem>()).State.Members;
                Assert.Equal(2, members.Count(member => member.Status == Akka.Cluster.MemberStatus.Up));
            }
        });

        // A publish on one node reaches a subscriber of the other (once gossip spread the subscription).
        await using var socket = await RpcTestSocket.ConnectAsync(second.Url);
        JsonAssert.Result(await socket.CallAsync("subscribe", new[] { "news" }));
        var received = await PublishUntilReceivedAsync(first.Publisher, "news", new { from = "first" }, socket);
        Assert.Equal("first", received.GetProperty("params").GetProperty("from").GetString());
    }

    [Fact]
    public async Task Port_OfAStoppedServer_ANewServerServesThereAndAConnectedClientCalls()
    {
        int port;
        await using (var first = await ActorRpcTestServer.StartAsync(rpc => rpc.AddMethods<Calc>("calc")))
        {
            port = first.BaseAddress.Port;
        }

        await using var again = await ActorRpcTestServer.StartAsync(rpc => rpc.AddMethods<Calc>("calc"), options => options.Port = port);
        Assert.Equal(port, again.Url.Port);
        await using var client = await again.ConnectAsync();
        Assert.Equal(42, await client.CallAsync<long>("calc.twice", 21).DefaultTimeout());
    }

    [Fact]
    public async Task HttpUrl_Post_Answered()
    {
        await using var server = await ActorRpcTestServer.StartAsync(rpc => rpc.AddMethods<Calc>("calc"));
        using var http = server.CreateHttpClient();
        using var response = await http.PostAsync(
            server.HttpUrl, new StringContent("""{"jsonrpc":"2.0","method":"calc.twice","params":[21],"id":1}""", System.Text.Encoding.UTF8, "application/json")).DefaultTimeout();

        JsonAssert.Equivalent("""{"jsonrpc":"2.0","id":1,"result":42}""", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Services_ResolvesTheApplicationsServices()
    {
        var greeting = new Greeting("hello");
        await using var server = await ActorRpcTestServer.StartAsync(
            rpc => rpc.AddMethods<Greeter>("greeter"),
            options => options.ConfigureBuilder = builder => builder.Services.AddSingleton(greeting));

        Assert.Same(greeting, server.Services.GetRequiredService<Greeting>());
        Assert.NotNull(server.Services.GetRequiredService<ActorSystem>());
        Assert.Same(server.Services.GetRequiredService<ITopicPublisher>(), server.Publisher);

        // The method's instance got the same service by constructor injection.
        await using var socket = await RpcTestSocket.ConnectAsync(server.Url);
        Assert.Equal("hello Ada", JsonAssert.Result(await socket.CallAsync("greeter.greet", new[] { "Ada" })).GetString());
    }

    [Fact]
    public async Task Publisher_Publish_ReachesASubscribedSocket()
    {
        await using var server = await ActorRpcTestServer.StartAsync(rpc => rpc.AddTopic("news"));
        await using var socket = await RpcTestSocket.ConnectAsync(server.Url);
        JsonAssert.Result(await socket.CallAsync("subscribe", new[] { "news" }));

        var received = await PublishUntilReceivedAsync(server.Publisher, "news", new { headline = "kit" }, socket);

        Assert.Equal("news", received.GetProperty("method").GetString());
        Assert.Equal("kit", received.GetProperty("params").GetProperty("headline").GetString());
    }

    [Theory]
    [InlineData("http://127.0.0.1:5000", true)]
    [InlineData("http://[::1]:0", true)]
    [InlineData("http://localhost:5000", true)]
    [InlineData("http://0.0.0.0:5000", false)]
    [InlineData("http://+:80", false)]
    [InlineData("http://*:80", false)]
    [InlineData("http://10.1.2.3:80", false)]
    [InlineData("https://example.com:443", false)]
    public void IsLoopback_OnlyLoopbackAddressesPass(string address, bool loopback) =>
        Assert.Equal(loopback, ActorRpcTestServer.IsLoopback(address));

    [Fact]
    public async Task Settings_Limit_Applies()
    {
        await using var server = await ActorRpcTestServer.StartAsync(
            rpc => rpc.AddMethod("one", () => 1),
            options => options.Settings["ActorRpc:Limits:MaxBatchSize"] = "1");

        Assert.Equal(1, server.Services.GetRequiredService<IOptions<ActorRpcOptions>>().Value.Limits.MaxBatchSize);
        await using var socket = await RpcTestSocket.ConnectAsync(server.Url);
        await socket.SendAsync("""[{"jsonrpc":"2.0","method":"one","id":1},{"jsonrpc":"2.0","method":"one","id":2}]""");
        JsonAssert.Error(await socket.ReceiveJsonAsync(), -32600);
    }

    [Fact]
    public async Task Path_Other_ServedThereOnly()
    {
        await using var server = await ActorRpcTestServer.StartAsync(rpc => rpc.AddMethod("one", () => 1), options => options.Path = "/api/rpc");

        Assert.Equal("/api/rpc", server.Url.AbsolutePath);
        await using var socket = await RpcTestSocket.ConnectAsync(server.Url);
        Assert.Equal(1, JsonAssert.Result(await socket.CallAsync("one")).GetInt32());
        using var http = server.CreateHttpClient();
        using var elsewhere = await http.PostAsync("/rpc", new StringContent("{}", System.Text.Encoding.UTF8, "application/json")).DefaultTimeout();
        Assert.Equal(HttpStatusCode.NotFound, elsewhere.StatusCode);
    }

    [Fact]
    public async Task Logs_WhatTheServerLogged_Captured()
    {
        await using var server = await ActorRpcTestServer.StartAsync(
            rpc => rpc.AddMethod("explode", string () => throw new InvalidOperationException("boom")));
        await using var socket = await RpcTestSocket.ConnectAsync(server.Url);
        JsonAssert.Error(await socket.CallAsync("explode"), -32603);

        var logged = await server.Logs.WaitForAsync(e => e.Message.Contains("Method [explode] failed", StringComparison.Ordinal));
        Assert.Equal(LogLevel.Error, logged.Level);
        Assert.IsType<InvalidOperationException>(logged.Exception);
    }

    [Fact]
    public async Task DisposeAsync_Disposed_PortsFreedActorSystemTerminated()
    {
        var server = await ActorRpcTestServer.StartAsync(rpc => rpc.AddMethod("one", () => 1));
        var system = server.Services.GetRequiredService<ActorSystem>();
        var httpPort = server.Url.Port;
        var remotingPort = RemotingPort(server);
        await using (var socket = await RpcTestSocket.ConnectAsync(server.Url))
        {
            JsonAssert.Result(await socket.CallAsync("one"));
        }

        await server.DisposeAsync();

        Assert.True(system.WhenTerminated.IsCompleted, "The actor system still runs.");
        await AssertRefusedAsync(httpPort);
        await AssertRefusedAsync(remotingPort);
        await server.DisposeAsync(); // A second dispose does nothing.
    }

    [Fact]
    public async Task StartAsync_DuplicateMethod_ThrowsAndLeavesNothingRunning()
    {
        // Fixed ports, free a moment ago, so the test can see they are closed again after the failure.
        var httpPort = LoopbackHost.FreePort();
        var remotingPort = LoopbackHost.FreePort();

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => ActorRpcTestServer.StartAsync(
            rpc => rpc.AddMethod("twice", () => 1).AddMethod("twice", () => 2),
            options =>
            {
                options.Settings["urls"] = $"http://127.0.0.1:{httpPort}";
                options.Settings["Cluster:Port"] = remotingPort.ToString(CultureInfo.InvariantCulture);
            }).DefaultTimeout());

        Assert.Contains("registered twice: twice", error.Message, StringComparison.Ordinal);
        await AssertRefusedAsync(httpPort);
        await AssertRefusedAsync(remotingPort);
    }

    [Fact]
    public async Task StartAsync_FailsAfterTheActorSystemStarted_ThrowsAndTerminatesIt()
    {
        // Kestrel binds last, after the actor system started: a port already taken fails the start there.
        using var taken = new TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        var takenPort = ((IPEndPoint)taken.LocalEndpoint).Port;
        var remotingPort = LoopbackHost.FreePort();
        var started = new TaskCompletionSource<ActorSystem>(TaskCreationOptions.RunContinuationsAsynchronously);

        await Assert.ThrowsAnyAsync<IOException>(() => ActorRpcTestServer.StartAsync(
            rpc => rpc.AddMethod("one", () => 1),
            options =>
            {
                options.Settings["urls"] = $"http://127.0.0.1:{takenPort}";
                options.Settings["Cluster:Port"] = remotingPort.ToString(CultureInfo.InvariantCulture);
                options.ConfigureAkka = (akka, _) => akka.WithActors((system, _) => started.TrySetResult(system));
            }).DefaultTimeout());

        var system = await started.Task.DefaultTimeout();
        Assert.True(system.WhenTerminated.IsCompleted, "The actor system still runs.");
        await AssertRefusedAsync(remotingPort);
    }

    [Fact]
    public async Task StartAsync_InvalidSetting_ThrowsNamingIt()
    {
        var error = await Assert.ThrowsAnyAsync<Exception>(() => ActorRpcTestServer.StartAsync(
            rpc => rpc.AddMethod("one", () => 1),
            options => options.Settings["ActorRpc:Limits:MaxBatchSize"] = "0").DefaultTimeout());

        Assert.Contains("MaxBatchSize", error.Message, StringComparison.Ordinal);
    }

    /// <summary>Published again on each try: the first may precede the topic's pub/sub registration.</summary>
    private static async Task<JsonElement> PublishUntilReceivedAsync(ITopicPublisher publisher, string topic, object data, RpcTestSocket subscriber)
    {
        JsonElement received = default;
        await Eventually.AssertAsync(async () =>
        {
            publisher.Publish(topic, data);
            try
            {
                received = await subscriber.ReceiveJsonAsync(TestTimeouts.Short);
            }
            catch (OperationCanceledException)
            {
                Assert.Fail($"No notification on {topic} yet.");
            }
        });

        return received;
    }

    private static int RemotingPort(ActorRpcTestServer server) =>
        Akka.Cluster.Cluster.Get(server.Services.GetRequiredService<ActorSystem>()).SelfAddress.Port
        ?? throw new InvalidOperationException("The actor system has no remoting port.");

    private static async Task AssertRefusedAsync(int port)
    {
        using var client = new TcpClient(AddressFamily.InterNetwork);
        var error = await Assert.ThrowsAsync<SocketException>(() => client.ConnectAsync(IPAddress.Loopback, port).DefaultTimeout());
        Assert.Equal(SocketError.ConnectionRefused, error.SocketErrorCode);
    }

    public sealed class Calc
    {
        [RpcMethod]
        public static long Twice(long x) => 2 * x;
    }

    public sealed record Greeting(string Word);

    public sealed class Greeter(Greeting greeting)
    {
        [RpcMethod]
        public string Greet(string name) => $"{greeting.Word} {name}";
    }
}
