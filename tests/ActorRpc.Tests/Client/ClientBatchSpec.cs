using ActorRpc.Client;
using ActorRpc.Tests.Infrastructure;

namespace ActorRpc.Tests.Client;

/// <summary>Batches: one message, a task per call, notifications inside.</summary>
public sealed class ClientBatchSpec(ClientServerFixture fixture) : IClassFixture<ClientServerFixture>
{
    [Theory]
    [InlineData("ws")]
    [InlineData("http")]
    public async Task Batch_EachCallGetsItsOwnResultOrError(string transport)
    {
        await using var client = await ActorRpcClient.ConnectAsync(transport == "ws" ? fixture.Server.WebSocketUri : fixture.Server.RpcUri).DefaultTimeout();
        Task<long> sum = null!;
        Task<long> named = null!;
        Task<object?> refused = null!;
        Task<string?> pong = null!;

        await client.BatchAsync(batch =>
        {
            sum = batch.Call<long>("add", 1, 2);
            batch.Notify("echo", "ignored");
            named = batch.CallNamed<long>("add", new { a = 10, b = 20 });
            refused = batch.Call<object>("computer_says_no");
            pong = batch.Call<string>("ping");
        }).DefaultTimeout();

        Assert.Equal(3L, await sum);
        Assert.Equal(30L, await named);
        Assert.Equal("pong", await pong);
        var error = await Assert.ThrowsAsync<RpcCallException>(() => refused);
        Assert.Equal(-32050, error.Code);
    }

    [Theory]
    [InlineData("ws")]
    [InlineData("http")]
    public async Task Batch_OfNotificationsOnly_ExpectsNoAnswer(string transport)
    {
        await using var client = await ActorRpcClient.ConnectAsync(
            transport == "ws" ? fixture.Server.WebSocketUri : fixture.Server.RpcUri,
            options => options.DefaultTimeout = TimeSpan.FromSeconds(5)).DefaultTimeout();

        // Completes at once (over HTTP the server answers 204): nothing waits for an answer that never comes.
        await client.BatchAsync(batch =>
        {
            batch.Notify("echo", 1);
            batch.Notify("echo", 2);
        }).WaitAsync(TimeSpan.FromSeconds(4));

        Assert.Equal(2L, await client.CallAsync<long>("add", 1, 1).DefaultTimeout());
    }

    [Fact]
    public async Task Batch_Cancelled_FailsItsCalls_AndCancelsThemOnTheServer()
    {
        await using var client = await ActorRpcClient.ConnectAsync(fixture.Server.WebSocketUri).DefaultTimeout();
        var key = Guid.NewGuid().ToString("N");
        var probe = ClientSpecMethods.Probe(key);
        using var cancellation = new CancellationTokenSource();
        Task<string?> held = null!;
        var batch = client.BatchAsync(b => held = b.Call<string>("hold", key), cancellation.Token);
        await probe.Started.Task.DefaultTimeout();

        await cancellation.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => batch.DefaultTimeout());
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => held.DefaultTimeout());
        await probe.Cancelled.Task.DefaultTimeout();
    }
}
