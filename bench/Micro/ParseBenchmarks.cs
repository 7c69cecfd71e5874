using System.Text.Json;
using ActorRpc.Actors.Protocol;
using BenchmarkDotNet.Attributes;

namespace ActorRpc.Bench.Micro;

/// <summary>
/// <see cref="JsonRpcParser.Parse"/> on small messages, against a bare <see cref="Utf8JsonReader"/>
/// pass over the same bytes (the least any parser must do).
/// </summary>
[MemoryDiagnoser]
public class ParseBenchmarks
{
    private const int MaxBatchSize = 1000;
    private const int MaxDepth = 64;

    [Benchmark(Baseline = true)]
    public int ReaderOnly_Ping() => ReadAll(Payloads.Ping);

    [Benchmark]
    public int Parse_Ping() => (int)JsonRpcParser.Parse(Payloads.Ping, MaxBatchSize, MaxDepth).Kind;

    [Benchmark]
    public int Parse_AddNamed() => (int)JsonRpcParser.Parse(Payloads.AddNamed, MaxBatchSize, MaxDepth).Kind;

    [Benchmark]
    public int Parse_BatchOfTen() => (int)JsonRpcParser.Parse(Payloads.BatchOfTenPings, MaxBatchSize, MaxDepth).Kind;

    [Benchmark]
    public int ReaderOnly_BatchOfTen() => ReadAll(Payloads.BatchOfTenPings);

    internal static int ReadAll(byte[] payload)
    {
        var reader = new Utf8JsonReader(payload);
        var tokens = 0;
        while (reader.Read())
        {
            tokens++;
        }

        return tokens;
    }
}

/// <summary>A named-params request as the message grows: the parser slices params without copying them.</summary>
[MemoryDiagnoser]
public class ParseSizeBenchmarks
{
    private byte[] _payload = [];

    [Params(128, 4 * 1024, 64 * 1024)]
    public int MessageBytes { get; set; }

    [GlobalSetup]
    public void Setup() => _payload = Payloads.NamedParamsRequest(MessageBytes);

    [Benchmark(Baseline = true)]
    public int ReaderOnly() => ParseBenchmarks.ReadAll(_payload);

    [Benchmark]
    public int Parse() => (int)JsonRpcParser.Parse(_payload, 1000, 64).Kind;
}
