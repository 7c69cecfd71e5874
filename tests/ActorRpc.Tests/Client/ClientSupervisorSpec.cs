using System.Net.WebSockets;
using System.Threading.Channels;
using ActorRpc.Client;
using ActorRpc.Testing;
using ActorRpc.Tests.Infrastructure;
using Microsoft.Extensions.Logging;

namespace ActorRpc.Tests.Client;

/// <summary>
/// The connection supervisor against a scripted server: a dispose racing a reconnect, the backoff
/// across connections that die young, and how the client's closing is logged.
/// </summary>
public sealed class ClientSupervisorSpec : ScriptedServerSpec
{
    private static readonly TimeSpan Initial = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan Max = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task DisposeFromTheReconnectedHandler_CompletesPromptly_AndClosesTheNewSocket()
    {
        var client = await ActorRpcClient.ConnectAsync(Server.Url, options =>
        {
            options.Reconnect.InitialDelay = TimeSpan.FromMilliseconds(20);
            options.Reconnect.MaxDelay = TimeSpan.FromMilliseconds(100);
        }).DefaultTimeout();
        Track(client);
        var first = await Server.NextPeerAsync();
        var disposing = new TaskCompletionSource<Task>(TaskCreationOptions.RunContinuationsAsynchronously);
        client.Reconnected += (_, _) => disposing.TrySetResult(client.DisposeAsync().AsTask());

        first.Abort();
        var second = await Server.NextPeerAsync();
        var closing = second.ReceiveCloseAsync();

        await (await disposing.Task.DefaultTimeout()).DefaultTimeout();
        Assert.Equal(WebSocketCloseStatus.NormalClosure, await closing);
        Assert.Equal(RpcConnectionState.Closed, client.State);
    }

    [Fact]
    public async Task ServerThatDropsAtOnce_BackoffGrowsAcrossConnections_AndResetsAfterOneStaysUp()
    {
        var time = new RecordingTimeProvider();
        var client = await ActorRpcClient.ConnectAsync(Server.Url, options =>
        {
            options.TimeProvider = time;
            options.Reconnect.InitialDelay = Initial;
            options.Reconnect.MaxDelay = Max;
        }).DefaultTimeout();
        Track(client);
        var reconnected = Channel.CreateUnbounded<bool>();
        client.Reconnected += (_, _) => reconnected.Writer.TryWrite(true);
        var peer = await Server.NextPeerAsync();

        // Each connection dies at once (no fake time passes): the wait before the next attempt is
        // never zero, and doubles from drop to drop up to MaxDelay.
        var total = TimeSpan.Zero;
        for (var drop = 1; drop <= 8; drop++)
        {
            peer.Abort();
            var delay = await time.NextTimerAsync().DefaultTimeout();
            AssertJittered(Min(Initial * Math.Pow(2, drop), Max), delay);
            total += delay;
            time.Advance(delay);
            peer = await Server.NextPeerAsync();
            await reconnected.Reader.ReadAsync().AsTask().DefaultTimeout();
        }

        // Nine connections took at least half the doubled waits: far from hundreds a second.
        Assert.True(total >= TimeSpan.FromSeconds(8), $"Eight reconnects took only {total} of the client's clock.");

        // A connection that stayed up for MaxDelay resets the backoff.
        time.Advance(Max);
        peer.Abort();
        AssertJittered(Initial, await time.NextTimerAsync().DefaultTimeout());
    }

    [Fact]
    public async Task NormalCloseByTheServer_IsLoggedAtInformation_AnAbortAtWarning()
    {
        using var logs = new CapturedLogs(LogLevel.Debug);
        using var loggerFactory = LoggerFactory.Create(builder => builder.AddProvider(logs).SetMinimumLevel(LogLevel.Debug));
        var normal = await ActorRpcClient.ConnectAsync(Server.Url, options =>
        {
            options.Reconnect.Enabled = false;
            options.LoggerFactory = loggerFactory;
        }).DefaultTimeout();
        Track(normal);
        var peer = await Server.NextPeerAsync();

        await peer.Socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "bye", CancellationToken.None).DefaultTimeout();

        var closed = await logs.WaitForAsync(entry => entry.Message.StartsWith("The client closed", StringComparison.Ordinal));
        Assert.Equal(LogLevel.Information, closed.Level);
        Assert.Null(closed.Exception);

        var aborted = await ActorRpcClient.ConnectAsync(Server.Url, options =>
        {
            options.Reconnect.Enabled = false;
            options.LoggerFactory = loggerFactory;
        }).DefaultTimeout();
        Track(aborted);
        (await Server.NextPeerAsync()).Abort();

        var failed = await logs.WaitForAsync(entry => entry.Message.StartsWith("The client closed on an error", StringComparison.Ordinal));
        Assert.Equal(LogLevel.Warning, failed.Level);
        Assert.NotNull(failed.Exception);
    }

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;

    private static void AssertJittered(TimeSpan full, TimeSpan delay) =>
        Assert.True(delay >= full / 2 && delay <= full, $"Expected a delay in [{full / 2}, {full}] but got {delay}.");
}
