using ActorRpc.DemoHost;
using ActorRpc.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace ActorRpc.Tests.Diagnostics;

/// <summary>What a Prometheus scrape of <c>/metrics</c> shows after real traffic on a real node.</summary>
[Collection(DiagnosticsCollection.Name)]
public sealed class MetricsSpec
{
    private const string Requests = "actorrpc_requests_total";

    [Fact]
    public async Task Requests_ByMethodAndOutcome_CountedWithLatencyBuckets()
    {
        await using var server = await RpcServer.StartAsync();
        await using var socket = await server.ConnectAsync();
        JsonAssert.Result(await socket.CallAsync("ping"));
        JsonAssert.Result(await socket.CallAsync("ping"));
        JsonAssert.Error(await socket.CallAsync("computer_says_no"), DemoMethods.ComputerSaysNoCode);
        JsonAssert.Result(await socket.CallAsync("get_topics")); // answered by the session itself

        await Eventually.AssertAsync(async () =>
        {
            var scrape = await PrometheusScrape.GetAsync(server);
            Assert.Equal(2, scrape.Value(Requests, ("rpc_method", "ping"), ("outcome", "ok")));
            Assert.Empty(scrape.Find(Requests, ("rpc_method", "ping"), ("outcome", "error")));
            Assert.Equal(1, scrape.Value(
                Requests, ("rpc_method", "computer_says_no"), ("outcome", "error"), ("rpc_jsonrpc_error_code", DemoMethods.ComputerSaysNoCode.ToString(System.Globalization.CultureInfo.InvariantCulture))));
            Assert.Equal(1, scrape.Value(Requests, ("rpc_method", "get_topics"), ("outcome", "ok")));

            // Latency: a histogram in seconds, with finite buckets and every ping in the +Inf one.
            var buckets = scrape.Find("actorrpc_request_duration_seconds_bucket", ("rpc_method", "ping"), ("outcome", "ok"));
            Assert.Contains(buckets, b => b.Labels["le"] == "0.005");
            Assert.Equal(2, buckets.Single(b => b.Labels["le"] == "+Inf").Value);
            Assert.Equal(2, scrape.Value("actorrpc_request_duration_seconds_count", ("rpc_method", "ping")));
        });
    }

    [Fact]
    public async Task Requests_UnregisteredMethod_FoldedUnderOneLabelAndClientStringNeverExported()
    {
        await using var server = await RpcServer.StartAsync();
        await using var socket = await server.ConnectAsync();
        JsonAssert.Error(await socket.CallAsync("zzz-client-chosen"), -32601);
        JsonAssert.Error(await socket.CallAsync("zzz-client-chosen-2"), -32601);
        await socket.SendAsync("""{"jsonrpc":"2.0","method":"zzz-client-notification"}""");
        JsonAssert.Error(await socket.CallAsync("subscribe", new[] { "zzz-client-topic" }), -32602);
        JsonAssert.Result(await socket.CallAsync("ping")); // after the notification, in order

        await Eventually.AssertAsync(async () =>
        {
            var scrape = await PrometheusScrape.GetAsync(server);
            Assert.Equal(3, scrape.Value(Requests, ("rpc_method", "(unknown)"), ("outcome", "error"), ("rpc_jsonrpc_error_code", "-32601")));
            Assert.DoesNotContain("zzz-client", scrape.Text, StringComparison.Ordinal);
        });
    }

    [Fact]
    public async Task Requests_InvalidMessages_CountedAsInvalid()
    {
        await using var server = await RpcServer.StartAsync();
        await using var socket = await server.ConnectAsync();
        await socket.SendAsync("{not json");
        JsonAssert.Error(await socket.ReceiveJsonAsync(), -32700);
        await socket.SendAsync("""{"jsonrpc":"1.0","method":"zzz-invalid","id":1}""");
        JsonAssert.Error(await socket.ReceiveJsonAsync(), -32600);

        await Eventually.AssertAsync(async () =>
        {
            var scrape = await PrometheusScrape.GetAsync(server);
            Assert.Equal(1, scrape.Value(Requests, ("rpc_method", "(invalid)"), ("rpc_jsonrpc_error_code", "-32700")));
            Assert.Equal(1, scrape.Value(Requests, ("rpc_method", "(invalid)"), ("rpc_jsonrpc_error_code", "-32600")));
            Assert.DoesNotContain("zzz-invalid", scrape.Text, StringComparison.Ordinal);
        });
    }

    [Fact]
    public async Task OpenSessions_SocketOpenedThenClosed_GaugeUpThenDown()
    {
        await using var server = await RpcServer.StartAsync();
        var socket = await server.ConnectAsync();
        JsonAssert.Result(await socket.CallAsync("ping"));
        await Eventually.AssertAsync(async () =>
            Assert.Equal(1, (await PrometheusScrape.GetAsync(server)).Value("actorrpc_sessions_open", ("actorrpc_transport", "websocket"))));

        await socket.DisposeAsync();

        await Eventually.AssertAsync(async () =>
            Assert.Equal(0, (await PrometheusScrape.GetAsync(server)).Value("actorrpc_sessions_open", ("actorrpc_transport", "websocket"))));
    }

    [Fact]
    public async Task HandlersActive_LongCallRunning_GaugeCountsItUntilItEnds()
    {
        await using var server = await RpcServer.StartAsync();
        await using var socket = await server.ConnectAsync();
        await socket.SendAsync("""{"jsonrpc":"2.0","method":"sleep","params":{"ms":600000},"id":"long"}""");

        await Eventually.AssertAsync(async () =>
            Assert.Equal(1, (await PrometheusScrape.GetAsync(server)).Value("actorrpc_handlers_active", ("rpc_method", "sleep"))));

        await socket.DisposeAsync(); // the session ends and cancels the handler

        await Eventually.AssertAsync(async () =>
            Assert.Equal(0, (await PrometheusScrape.GetAsync(server)).Value("actorrpc_handlers_active", ("rpc_method", "sleep"))));
    }

    [Fact]
    public async Task Subscriptions_PerRegisteredTopicOrPattern_ClientTopicNamesNeverExported()
    {
        await using var server = await RpcServer.StartAsync(builder => builder.Services.AddActorRpc().AddTopicPattern("orders.*"));
        await using var first = await server.ConnectAsync();
        await using var second = await server.ConnectAsync();
        JsonAssert.Result(await first.CallAsync("subscribe", new[] { "news", "orders.zzz-client-1" }));
        JsonAssert.Result(await second.CallAsync("subscribe", new[] { "orders.zzz-client-2" }));

        await Eventually.AssertAsync(async () =>
        {
            var scrape = await PrometheusScrape.GetAsync(server);
            Assert.Equal(1, scrape.Value("actorrpc_topic_subscriptions", ("actorrpc_topic", "news")));
            Assert.Equal(2, scrape.Value("actorrpc_topic_subscriptions", ("actorrpc_topic", "orders.*")));
            Assert.DoesNotContain("zzz-client", scrape.Text, StringComparison.Ordinal);
        });

        JsonAssert.Result(await first.CallAsync("unsubscribe", new[] { "orders.zzz-client-1" }));
        await second.DisposeAsync();

        await Eventually.AssertAsync(async () =>
            Assert.Equal(0, (await PrometheusScrape.GetAsync(server)).Value("actorrpc_topic_subscriptions", ("actorrpc_topic", "orders.*"))));
    }

    [Fact]
    public async Task NotificationsDelivered_PublishToSubscriber_Counted()
    {
        await using var server = await RpcServer.StartAsync();
        await using var subscriber = await server.ConnectAsync();
        JsonAssert.Result(await subscriber.CallAsync("subscribe", new[] { "news" }));
        var before = (await PrometheusScrape.GetAsync(server)).Find("actorrpc_notifications_delivered_total").Sum(s => s.Value);

        JsonAssert.Result(await subscriber.CallAsync("publish", new { topic = "news", data = new { headline = "metrics" } }));
        await subscriber.ReceiveAsync(); // the notification kept while waiting for the response

        await Eventually.AssertAsync(async () =>
            Assert.Equal(before + 1, (await PrometheusScrape.GetAsync(server)).Value("actorrpc_notifications_delivered_total")));
    }
}
