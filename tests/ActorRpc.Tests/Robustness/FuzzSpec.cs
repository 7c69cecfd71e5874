using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Text.Unicode;
using ActorRpc.Tests.Infrastructure;
using Microsoft.Extensions.Logging;
using Xunit.Abstractions;
using static ActorRpc.Tests.Robustness.FuzzRun;

namespace ActorRpc.Tests.Robustness;

/// <summary>
/// Issue 4: tens of thousands of random and mutated messages over real sockets. Every reply must be
/// a valid JSON-RPC response that fits its message (or a documented close the message earned), a
/// notification gets nothing, the server logs no unexpected error, and a fresh connection still
/// answers ping afterwards. Seeded and deterministic: set ACTORRPC_FUZZ_SEED to replay a run.
/// </summary>
[Collection(Reliability.MeasuringCollection.Name)]
public sealed class FuzzSpec(ITestOutputHelper output)
{
    private const int Connections = 8;
    private const int MaxCases = 30_000;
    private const int MinCases = 10_000;
    private static readonly TimeSpan Budget = TimeSpan.FromSeconds(45);

    [Fact]
    public async Task RandomAndMutatedMessages_OverConcurrentSockets_EveryReplyValidAndServerStillAnswers()
    {
        var seed = Seed(output, "Fuzz");
        await using var server = await StartServerAsync();
        var stats = new FuzzStats();
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, Connections).Select(worker => Task.Run(() =>
            RunWorkerAsync(server, new FuzzCaseGenerator(seed + worker, MaxMessageSize, MaxBatchSize), worker, stats, clock))));
        var elapsed = clock.Elapsed;

        output.WriteLine(
            $"Ran {stats.Cases} cases in {elapsed.TotalSeconds:F1} s over {Connections} sockets: {stats.Replies} replies, "
            + $"{stats.Silent} answered with nothing (notifications), {stats.Connects} connections.");
        output.WriteLine("Closes by status: " + (stats.Closes.IsEmpty ? "none" : string.Join(", ", stats.Closes.OrderBy(c => c.Key).Select(c => $"{(int)c.Key} {c.Key}: {c.Value}"))));
        foreach (var failure in stats.Failures)
        {
            output.WriteLine("FAILED " + failure);
        }

        Assert.True(stats.Failures.IsEmpty, $"{stats.Failures.Count} fuzz cases failed (seed {seed}); first: {stats.Failures.FirstOrDefault()}");
        Assert.True(stats.Cases >= MinCases, $"Only {stats.Cases} cases ran within {Budget.TotalSeconds} s; at least {MinCases} are needed for the run to mean something.");

        // Every kind of answer was exercised, so a server that closed on everything (or nothing) would fail.
        Assert.True(stats.Replies > stats.Cases / 2, "Most cases are answered.");
        foreach (var status in new[] { WebSocketCloseStatus.InvalidPayloadData, WebSocketCloseStatus.InvalidMessageType, WebSocketCloseStatus.MessageTooBig })
        {
            Assert.True(stats.Closes.ContainsKey(status), $"No case earned a {status} close.");
        }

        await using (var fresh = await server.ConnectAsync())
        {
            Assert.Equal("pong", JsonAssert.Result(await fresh.CallAsync("ping")).GetString());
        }

        var unexpected = server.Logs.Entries.Where(IsUnexpectedLog).ToList();
        Assert.True(unexpected.Count == 0, "The server logged unexpected problems:\n" + string.Join("\n", unexpected.Take(10)));
    }

    private static async Task RunWorkerAsync(RpcServer server, FuzzCaseGenerator generator, int worker, FuzzStats stats, Stopwatch clock)
    {
        ClientWebSocket? socket = null;
        var pings = 0;
        try
        {
            while (clock.Elapsed < Budget && stats.Failures.Count < MaxReportedFailures && stats.TryTakeCase())
            {
                var fuzzCase = generator.Next();
                var expected = FuzzOracle.Expect(fuzzCase, MaxMessageSize, MaxBatchSize, MaxJsonDepth);
                if (socket is null)
                {
                    socket = new ClientWebSocket();
                    await socket.ConnectAsync(server.WebSocketUri, CancellationToken.None).DefaultTimeout();
                    Interlocked.Increment(ref stats.Connects);
                }

                var pingId = $"\"~ping-{worker}-{++pings}\"";
                string? failure;
                try
                {
                    await SendAsync(socket, fuzzCase);
                    failure = expected.CloseStatuses.Length > 0
                        ? await ExpectCloseAsync(socket, expected, stats)
                        : await ExpectRepliesThenPongAsync(socket, expected, pingId, stats);
                }
                catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or TimeoutException or JsonException)
                {
                    failure = $"{ex.GetType().Name}: {ex.Message} (socket {socket.State}, close {socket.CloseStatus} {socket.CloseStatusDescription})";
                }

                if (failure is not null)
                {
                    stats.Failures.Enqueue($"{failure}\n    case [{fuzzCase.Origin}] {Preview(fuzzCase.Payload, 4000)}");
                }

                if (failure is not null || expected.CloseStatuses.Length > 0)
                {
                    await DisposeAsync(socket);
                    socket = null;
                }
            }
        }
        finally
        {
            if (socket is not null)
            {
                await DisposeAsync(socket);
            }
        }
    }

    private static async Task SendAsync(ClientWebSocket socket, FuzzCase fuzzCase)
    {
        if (fuzzCase.Fragments.Length == 0)
        {
            await socket.SendAsync(fuzzCase.Payload, fuzzCase.Type, endOfMessage: true, CancellationToken.None).DefaultTimeout();
            return;
        }

        var offset = 0;
        for (var i = 0; i < fuzzCase.Fragments.Length; i++)
        {
            var size = fuzzCase.Fragments[i];
            var last = i == fuzzCase.Fragments.Length - 1;
            await socket.SendAsync(fuzzCase.Payload.AsMemory(offset, size), fuzzCase.Type, last, CancellationToken.None).AsTask().DefaultTimeout();
            offset += size;
        }
    }

    /// <summary>The case's replies (if any) and the pong of the ping sent after it, in whatever order they come.</summary>
    private static async Task<string?> ExpectRepliesThenPongAsync(ClientWebSocket socket, FuzzExpectation expected, string pingId, FuzzStats stats)
    {
        await socket.SendAsync(Encoding.UTF8.GetBytes($$"""{"jsonrpc":"2.0","method":"ping","id":{{pingId}}}"""), WebSocketMessageType.Text, true, CancellationToken.None).DefaultTimeout();
        var replies = 0;
        var ponged = false;
        while (!ponged || replies < expected.Replies)
        {
            var (type, bytes) = await ReceiveAsync(socket);
            if (type == WebSocketMessageType.Close)
            {
                return $"closed with {socket.CloseStatus} '{socket.CloseStatusDescription}' where {expected.Replies} replies were due";
            }

            if (type != WebSocketMessageType.Text || !Utf8.IsValid(bytes))
            {
                return $"a reply must be a UTF-8 text message, got {type}: {Preview(bytes)}";
            }

            using var document = JsonDocument.Parse(bytes);
            var reply = document.RootElement;
            if (reply.ValueKind == JsonValueKind.Object && reply.TryGetProperty("id", out var id) && id.GetRawText() == pingId)
            {
                if (FuzzOracle.CheckShape(reply) is not null || !reply.TryGetProperty("result", out var pong) || !pong.ValueEquals("pong"))
                {
                    return $"bad answer to the ping: {reply}";
                }

                ponged = true;
                continue;
            }

            if (reply.ValueKind == JsonValueKind.Object && !reply.TryGetProperty("id", out _) && reply.TryGetProperty("method", out _))
            {
                continue; // A topic notification (a case subscribed to "news"), not a reply.
            }

            if (++replies > expected.Replies)
            {
                return $"unexpected reply {Preview(bytes)} (expected {expected.Replies})";
            }

            if (FuzzOracle.Check(reply, expected) is { } problem)
            {
                return $"{problem}: {Preview(bytes)}";
            }

            Interlocked.Increment(ref stats.Replies);
        }

        if (expected.Replies == 0)
        {
            Interlocked.Increment(ref stats.Silent);
        }

        return null;
    }

    /// <summary>A real close frame with one of the documented statuses, and no reply before it.</summary>
    private static async Task<string?> ExpectCloseAsync(ClientWebSocket socket, FuzzExpectation expected, FuzzStats stats)
    {
        var (type, bytes) = await ReceiveAsync(socket);
        if (type != WebSocketMessageType.Close)
        {
            return $"expected a close ({string.Join(" or ", expected.CloseStatuses)}), got {type}: {Preview(bytes)}";
        }

        var status = socket.CloseStatus ?? WebSocketCloseStatus.Empty;
        if (!expected.CloseStatuses.Contains(status))
        {
            return $"expected close {string.Join(" or ", expected.CloseStatuses)}, got {status} '{socket.CloseStatusDescription}'";
        }

        stats.Closes.AddOrUpdate(status, 1, (_, n) => n + 1);
        return null;
    }

    private static async Task<(WebSocketMessageType Type, byte[] Bytes)> ReceiveAsync(ClientWebSocket socket)
    {
        using var cts = new CancellationTokenSource(TestTimeouts.Long);
        using var message = new MemoryStream();
        var buffer = new byte[16 * 1024];
        while (true)
        {
            var result = await socket.ReceiveAsync(buffer, cts.Token);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                return (WebSocketMessageType.Close, []);
            }

            message.Write(buffer, 0, result.Count);
            if (result.EndOfMessage)
            {
                return (result.MessageType, message.ToArray());
            }
        }
    }

    /// <summary>Completes the closing handshake as a polite client would, so the server never waits out its close timeout.</summary>
    private static async Task DisposeAsync(ClientWebSocket socket)
    {
        try
        {
            if (socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
            {
                using var cts = new CancellationTokenSource(TestTimeouts.Long);
                await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, cts.Token);
            }
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException)
        {
            // Already gone: nothing left to be polite to.
        }
        finally
        {
            socket.Dispose();
        }
    }

    private sealed class FuzzStats() : FuzzCases(MaxCases)
    {
        public readonly ConcurrentDictionary<WebSocketCloseStatus, int> Closes = new();
        public int Replies;
        public int Silent;
        public int Connects;
    }
}
