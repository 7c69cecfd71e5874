using System.ComponentModel;
using System.Text;
using System.Text.Json;
using ActorRpc.Methods.Definition;
using ActorRpc.Methods.Discovery;
using ActorRpc.Tests.Infrastructure;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ActorRpc.Tests.Discovery;

/// <summary>
/// The document is rendered once per catalog, on the first <c>rpc.discover</c> (a failed rendering is
/// not kept); a call only picks the pieces its caller may see and writes them, with OpenRPC's own member
/// names whatever the server's naming policy; without guards the whole document is written once.
/// </summary>
public sealed class OpenRpcDocumentBuilderSpec
{
    private static readonly IServiceProvider Services = new ServiceCollection().BuildServiceProvider();

    [Fact]
    public async Task Discover_TwoCalls_SameRenderedPieces()
    {
        var catalog = Build(b => b.AddMethod("one", (int x) => x));

        var first = Assert.IsType<OpenRpcDocument>((await Invoke(catalog)).Value);
        var second = Assert.IsType<OpenRpcDocument>((await Invoke(catalog)).Value);

        Assert.Equal(first.Methods.Count, second.Methods.Count);
        for (var i = 0; i < first.Methods.Count; i++)
        {
            Assert.Same(first.Methods[i], second.Methods[i]);
        }

        Assert.Same(first.Info, second.Info);
    }

    [Fact]
    public async Task Discover_WrittenWithSnakeCasePolicy_OpenRpcNamesUnchanged_PropertiesFollowThePolicy()
    {
        var options = new RpcMethodsOptions();
        options.SerializerOptions.PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower;
        var catalog = Build(b => b.AddMethod("ship", (Receipt receipt) => receipt), options);

        var value = await Invoke(catalog);
        using var document = JsonDocument.Parse(JsonSerializer.SerializeToUtf8Bytes(value.Value, value.Type, options.SerializerOptions));
        var root = document.RootElement;
        Assert.Equal("1.3.2", root.GetProperty("openrpc").GetString());
        Assert.True(root.TryGetProperty("x-topics", out _));
        var ship = OpenRpcDocumentSpec.Method(root, "ship");
        Assert.True(ship.TryGetProperty("paramStructure", out _));
        var schema = ship.GetProperty("params")[0].GetProperty("schema");
        Assert.Equal(["id", "lines", "ship_to"], schema.GetProperty("properties").EnumerateObject().Select(p => p.Name));
    }

    [Fact]
    public async Task Discover_NoGuards_TheWholeDocumentWrittenOnce()
    {
        var catalog = Build(b => b.AddMethod("one", (int x) => x));

        var first = Assert.IsType<OpenRpcDocument>((await Invoke(catalog)).Value);
        var second = Assert.IsType<OpenRpcDocument>((await Invoke(catalog)).Value);

        Assert.Same(first, second);
        Assert.NotNull(first.Serialized);
        using var written = JsonDocument.Parse(JsonSerializer.SerializeToUtf8Bytes(first, new RpcMethodsOptions().SerializerOptions));
        Assert.Equal("1.3.2", written.RootElement.GetProperty("openrpc").GetString());
        Assert.Contains("one", written.RootElement.GetProperty("methods").EnumerateArray().Select(m => m.GetProperty("name").GetString()));
    }

    [Fact]
    public async Task Discover_MethodWhoseParamsFailToBeRead_KeepsItsSummaryAndErrors_LogsOnce()
    {
        var logger = new ListLogger();
        var catalog = Build(b => b.AddMethods<FragileMethods>(), logger: logger);

        var document = await Written(catalog);
        var fragile = OpenRpcDocumentSpec.Method(document.RootElement, "fragile");
        Assert.Equal("Still summarized.", fragile.GetProperty("summary").GetString());
        Assert.Equal(-32044, Assert.Single(fragile.GetProperty("errors").EnumerateArray()).GetProperty("code").GetInt32());
        Assert.Empty(fragile.GetProperty("params").EnumerateArray());
        Assert.True(fragile.GetProperty("x-params-not-described").GetBoolean());
        JsonAssert.Equivalent("{}", fragile.GetProperty("result").GetProperty("schema").GetRawText());

        await Written(catalog);
        var warning = Assert.Single(logger.Entries);
        Assert.Equal(LogLevel.Warning, warning.Level);
        Assert.Contains("fragile", warning.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Discover_RenderingFails_NotKept_TheNextCallRendersAgain()
    {
        // Logging the fragile method fails, and so does its fallback: that rendering fails as a whole, the next succeeds.
        var logger = new ListLogger { Throws = 2 };
        var catalog = Build(b => b.AddMethods<FragileMethods>(), logger: logger);

        await Assert.ThrowsAsync<InvalidOperationException>(async () => await Invoke(catalog));
        var document = await Written(catalog);

        Assert.Equal("Still summarized.", OpenRpcDocumentSpec.Method(document.RootElement, "fragile").GetProperty("summary").GetString());
    }

    [Fact]
    public void Register_RpcPrefixedName_RefusedAtBuild()
    {
        var ex = Assert.Throws<InvalidOperationException>(() => Build(b => b.AddMethod("rpc.ping", () => 1)));
        Assert.Contains("'rpc.ping' cannot be registered", ex.Message, StringComparison.Ordinal);
        Assert.Contains("JSON-RPC 2.0 reserves", ex.Message, StringComparison.Ordinal);

        ex = Assert.Throws<InvalidOperationException>(() => Build(b => b.AddMethods<FragileMethods>("rpc")));
        Assert.Contains("'rpc.fragile' cannot be registered", ex.Message, StringComparison.Ordinal);

        // Off, rpc.discover is not served, and the name stays reserved.
        Assert.Throws<InvalidOperationException>(() => Build(b => b.AddMethod("rpc.discover", () => 1)));
    }

    [Theory]
    [InlineData("")]
    [InlineData("  ")]
    public void ProducesRpcError_BlankMessage_Refused(string message)
    {
        Assert.ThrowsAny<ArgumentException>(() => new ProducesRpcErrorAttribute(-32050, message));
        Assert.ThrowsAny<ArgumentException>(() => new RpcMethodConventionBuilder(new ServiceCollection(), new ActorRpc.Methods.Authorization.RpcGuardBuilder(), new MethodDocsBuilder()).ProducesRpcError(-32050, message));
    }

    private static async Task<JsonDocument> Written(RpcMethodCatalog catalog)
    {
        var value = await Invoke(catalog);
        return JsonDocument.Parse(JsonSerializer.SerializeToUtf8Bytes(value.Value, value.Type, new RpcMethodsOptions().SerializerOptions));
    }

    public sealed class FragileMethods
    {
        [RpcMethod]
        [EndpointSummary("Still summarized.")]
        [ProducesRpcError(-32044, "Fragile")]
        public static int Fragile([MissingAssemblyDescription] int x) => x;
    }

    /// <summary>Reading it fails as an attribute from an assembly that is not there would.</summary>
    [AttributeUsage(AttributeTargets.Parameter)]
    public sealed class MissingAssemblyDescriptionAttribute : DescriptionAttribute
    {
        public override string Description => throw new FileNotFoundException("Could not load file or assembly 'Gone'.");
    }

    private sealed class ListLogger : ILogger
    {
        public List<(LogLevel Level, string Message)> Entries { get; } = [];

        public int Throws { get; set; }

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (Throws > 0)
            {
                Throws--;
                throw new InvalidOperationException("The log is broken, for now.");
            }

            lock (Entries)
            {
                Entries.Add((logLevel, formatter(state, exception)));
            }
        }
    }

    private static RpcMethodCatalog Build(Action<RpcMethodsBuilder> configure, RpcMethodsOptions? options = null, ILogger? logger = null)
    {
        var builder = new RpcMethodsBuilder();
        configure(builder);
        var services = logger is null ? Services : new ServiceCollection().AddSingleton<ILoggerFactory>(new OneLoggerFactory(logger)).BuildServiceProvider();
        return builder.Build(services, options ?? new RpcMethodsOptions());
    }

    private sealed class OneLoggerFactory(ILogger logger) : ILoggerFactory
    {
        public void AddProvider(ILoggerProvider provider)
        {
        }

        public ILogger CreateLogger(string categoryName) => logger;

        public void Dispose()
        {
        }
    }

    private static ValueTask<RpcValue> Invoke(RpcMethodCatalog catalog)
    {
        var handler = Assert.IsAssignableFrom<TaskMethodHandler>(catalog.Methods.Single(m => m.Name == RpcMethodCatalog.DiscoverName).Handler);
        var context = new RpcContext("session-1", null, "websocket", RpcMethodCatalog.DiscoverName, "\"r1\"", Services);
        return handler.InvokeAsync(context, Encoding.UTF8.GetBytes("[]"), CancellationToken.None);
    }
}
