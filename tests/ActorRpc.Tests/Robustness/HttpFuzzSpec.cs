using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using ActorRpc.Tests.Infrastructure;
using Microsoft.Extensions.Logging;
using Xunit.Abstractions;
using static ActorRpc.Tests.Robustness.FuzzRun;

namespace ActorRpc.Tests.Robustness;

/// <summary>
/// Issue 12: the fuzz run over the HTTP path. The same random and mutated messages as
/// <see cref="FuzzSpec"/>, POSTed with a random (mostly JSON) Content-Type by concurrent clients.
/// Every answer is one the documentation promises: 200 with the JSON-RPC responses the message
/// earned, 204 when it earned none, 413 past MaxMessageSize, 415 for a body that is not declared
/// JSON; never a 500 and never a hang. Seeded: ACTORRPC_FUZZ_SEED replays a run.
/// </summary>
[Collection(Reliability.MeasuringCollection.Name)]
public sealed class HttpFuzzSpec(ITestOutputHelper output)
{
    private const int Clients = 8;
    private const int MaxCases = 8_000;
    private const int MinCases = 2_000;
    private static readonly TimeSpan Budget = TimeSpan.FromSeconds(30);

    // What clients send: mostly JSON, sometimes what a cross-site form or a careless client sends.
    private static readonly (string? ContentType, bool Accepted, int Weight)[] ContentTypes =
    [
        ("application/json", true, 80),
        ("application/json; charset=utf-8", true, 6),
        ("application/json-rpc", true, 2),
        ("text/plain", false, 6),
        ("application/x-www-form-urlencoded", false, 3),
        (null, false, 3),
    ];

    [Fact]
    public async Task RandomAndMutatedBodies_PostedConcurrently_EveryAnswerDocumentedAndServerStillAnswers()
    {
        var seed = Seed(output, "HTTP fuzz");
        await using var server = await StartServerAsync();
        var stats = new Stats();
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, Clients).Select(client => Task.Run(() =>
            RunClientAsync(server, new FuzzCaseGenerator(seed + client, MaxMessageSize, MaxBatchSize), new Random(seed + client), stats, clock))));

        output.WriteLine($"Posted {stats.Cases} bodies in {clock.Elapsed.TotalSeconds:F1} s from {Clients} clients.");
        output.WriteLine("Statuses: " + string.Join(", ", stats.Statuses.OrderBy(s => s.Key).Select(s => $"{(int)s.Key}: {s.Value}")));
        foreach (var failure in stats.Failures)
        {
            output.WriteLine("FAILED " + failure);
        }

        Assert.True(stats.Failures.IsEmpty, $"{stats.Failures.Count} HTTP fuzz cases failed (seed {seed}); first: {stats.Failures.FirstOrDefault()}");
        Assert.True(stats.Cases >= MinCases, $"Only {stats.Cases} cases ran within {Budget.TotalSeconds} s; at least {MinCases} are needed.");
        foreach (var status in new[] { HttpStatusCode.OK, HttpStatusCode.NoContent, HttpStatusCode.RequestEntityTooLarge, HttpStatusCode.UnsupportedMediaType })
        {
            Assert.True(stats.Statuses.ContainsKey(status), $"No case earned a {(int)status} {status}.");
        }

        using (var ping = await server.Http.PostAsync(server.RpcUri, new StringContent("""{"jsonrpc":"2.0","method":"ping","id":1}""", Encoding.UTF8, "application/json")))
        {
            Assert.Equal(HttpStatusCode.OK, ping.StatusCode);
        }

        var unexpected = server.Logs.Entries.Where(IsUnexpectedLog).ToList();
        Assert.True(unexpected.Count == 0, "The server logged unexpected problems:\n" + string.Join("\n", unexpected.Take(10)));
    }

    private static async Task RunClientAsync(RpcServer server, FuzzCaseGenerator generator, Random random, Stats stats, Stopwatch clock)
    {
        while (clock.Elapsed < Budget && stats.Failures.Count < MaxReportedFailures && stats.TryTakeCase())
        {
            var fuzzCase = generator.Next();
            var (contentType, accepted) = PickContentType(random);
            string? failure;
            try
            {
                using var content = new ByteArrayContent(fuzzCase.Payload);
                content.Headers.ContentType = contentType is null ? null : MediaTypeHeaderValue.Parse(contentType);
                using var cts = new CancellationTokenSource(TestTimeouts.Long);
                using var response = await server.Http.PostAsync(server.RpcUri, content, cts.Token);
                var body = await response.Content.ReadAsByteArrayAsync(cts.Token);
                stats.Statuses.AddOrUpdate(response.StatusCode, 1, (_, n) => n + 1);
                failure = Check(fuzzCase, accepted, response.StatusCode, body);
            }
            catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException or JsonException)
            {
                failure = $"{ex.GetType().Name}: {ex.Message}";
            }

            if (failure is not null)
            {
                stats.Failures.Enqueue($"{failure}\n    case [{fuzzCase.Origin}] Content-Type {contentType ?? "(none)"}: {Preview(fuzzCase.Payload, 2000)}");
            }
        }
    }

    /// <summary>The oracle for a POST: the status the body earned, then the WebSocket oracle's responses for 200.</summary>
    private static string? Check(FuzzCase fuzzCase, bool accepted, HttpStatusCode status, byte[] body)
    {
        var expectedStatus = !accepted ? HttpStatusCode.UnsupportedMediaType
            : fuzzCase.Payload.Length > MaxMessageSize ? HttpStatusCode.RequestEntityTooLarge
            : (HttpStatusCode?)null;
        FuzzExpectation? expected = null;
        if (expectedStatus is null)
        {
            // A body has no frame type; one that is not UTF-8 is JSON that does not parse.
            expected = FuzzOracle.Expect(fuzzCase with { Type = WebSocketMessageType.Text, Fragments = [] }, MaxMessageSize, MaxBatchSize, MaxJsonDepth, overHttp: true);
            if (expected.CloseStatuses.Length > 0)
            {
                expected = FuzzExpectation.Error(FuzzExpectation.ParseError);
            }

            expectedStatus = expected.Replies == 0 ? HttpStatusCode.NoContent : HttpStatusCode.OK;
        }

        if (status != expectedStatus)
        {
            return $"expected {(int)expectedStatus} {expectedStatus}, got {(int)status} {status}: {Preview(body)}";
        }

        if (status != HttpStatusCode.OK)
        {
            return null;
        }

        using var document = JsonDocument.Parse(body);
        return FuzzOracle.Check(document.RootElement, expected!) is { } problem ? $"{problem}: {Preview(body)}" : null;
    }

    private static (string? ContentType, bool Accepted) PickContentType(Random random)
    {
        var roll = random.Next(ContentTypes.Sum(c => c.Weight));
        foreach (var (contentType, accepted, weight) in ContentTypes)
        {
            if ((roll -= weight) < 0)
            {
                return (contentType, accepted);
            }
        }

        return ("application/json", true);
    }

    private sealed class Stats() : FuzzCases(MaxCases)
    {
        public readonly ConcurrentDictionary<HttpStatusCode, int> Statuses = new();
    }
}
