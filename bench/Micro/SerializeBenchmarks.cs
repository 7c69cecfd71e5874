using System.Text.Json;
using ActorRpc.Actors.Protocol;
using ActorRpc.Methods.Definition;
using BenchmarkDotNet.Attributes;

namespace ActorRpc.Bench.Micro;

/// <summary>
/// <see cref="JsonRpcResponseWriter"/> frames, against <see cref="JsonSerializer"/> writing an
/// equivalent typed envelope (which cannot echo a raw id, but is the obvious alternative).
/// </summary>
[MemoryDiagnoser]
public class SerializeBenchmarks
{
    private static readonly ReadOnlyMemory<byte> Id = "1"u8.ToArray();
    private static readonly JsonSerializerOptions Options = RpcMethodsOptions.CreateDefaultSerializerOptions();
    private static readonly ResultEnvelope Envelope = new("2.0", 1, "pong");
    private static readonly Sample Object = new("ada", 36, ["admin", "ops"]);
    private static readonly RpcError NotFound = RpcError.MethodNotFound("nope");
    private static readonly RpcError Plain = new(-32050, "Computer says no.");

    [Benchmark(Baseline = true)]
    public byte[] Serializer_ResultEnvelope() => JsonSerializer.SerializeToUtf8Bytes(Envelope, Options);

    [Benchmark]
    public byte[] Result_String() => JsonRpcResponseWriter.Result(Id, new RpcValue("pong", typeof(string)), Options);

    [Benchmark]
    public byte[] Result_Object() => JsonRpcResponseWriter.Result(Id, new RpcValue(Object, typeof(Sample)), Options);

    [Benchmark]
    public byte[] Error_NoData() => JsonRpcResponseWriter.Error(Id, Plain, Options);

    [Benchmark]
    public byte[] Error_WithData() => JsonRpcResponseWriter.Error(Id, NotFound, Options);

    public sealed record ResultEnvelope(string Jsonrpc, int Id, string Result);

    public sealed record Sample(string Name, int Age, string[] Roles);
}
