using System.Reflection;
using System.Text.Json;
using ActorRpc.Methods.Binding;
using ActorRpc.DemoHost;
using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.DependencyInjection;

namespace ActorRpc.Bench.Micro;

/// <summary>
/// <see cref="ParameterBinder.Bind"/> for the demo <c>add(a, b)</c> (two <see cref="JsonElement"/>s)
/// and a typed <c>echo(string)</c>, positional and named, against parsing the same params into a
/// <see cref="JsonDocument"/>, which the binder does first.
/// </summary>
[MemoryDiagnoser]
public class BindBenchmarks
{
    private static readonly byte[] AddPositional = "[1,2]"u8.ToArray();
    private static readonly byte[] AddNamed = """{"a":1,"b":2}"""u8.ToArray();
    private static readonly byte[] EchoPositional = """["hello, world"]"""u8.ToArray();
    private static readonly byte[] EchoNamed = """{"text":"hello, world"}"""u8.ToArray();

    private readonly CancellationToken _token = CancellationToken.None;
    private ParameterBinder _add = null!;
    private ParameterBinder _echo = null!;
    private RpcContext _context = null!;

    [GlobalSetup]
    public void Setup()
    {
        var options = RpcMethodsOptions.CreateDefaultSerializerOptions();
        _add = new ParameterBinder(typeof(DemoMethods).GetMethod(nameof(DemoMethods.Add))!, options);
        _echo = new ParameterBinder(typeof(BindBenchmarks).GetMethod(nameof(Echo), BindingFlags.Static | BindingFlags.NonPublic)!, options);
        _context = new RpcContext("session-1", null, "websocket", "add", "1", new ServiceCollection().BuildServiceProvider());
    }

    [Benchmark(Baseline = true)]
    public int JsonDocumentOnly_AddPositional()
    {
        using var document = JsonDocument.Parse(AddPositional);
        return document.RootElement.GetArrayLength();
    }

    [Benchmark]
    public object?[] Add_Positional() => _add.Bind(AddPositional, _context, _token);

    [Benchmark]
    public object?[] Add_Named() => _add.Bind(AddNamed, _context, _token);

    [Benchmark]
    public object?[] Echo_Positional() => _echo.Bind(EchoPositional, _context, _token);

    [Benchmark]
    public object?[] Echo_Named() => _echo.Bind(EchoNamed, _context, _token);

    private static string Echo(string text) => text;
}
