using System.Text;
using System.Text.Json;
using ActorRpc.Methods.Definition;
using ActorRpc.Methods.Discovery;
using Microsoft.Extensions.DependencyInjection;

namespace ActorRpc.Tests.Discovery;

/// <summary>
/// The document is rendered once per catalog, on the first <c>rpc.discover</c>; a call only picks the
/// pieces its caller may see and writes them, with OpenRPC's own member names whatever the server's naming policy.
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
        var catalog = Build(b => b.AddMethod("ship", (Address shipTo) => shipTo), options);

        var value = await Invoke(catalog);
        using var document = JsonDocument.Parse(JsonSerializer.SerializeToUtf8Bytes(value.Value, value.Type, options.SerializerOptions));
        var root = document.RootElement;
        Assert.Equal("1.3.2", root.GetProperty("openrpc").GetString());
        Assert.True(root.TryGetProperty("x-topics", out _));
        var ship = OpenRpcDocumentSpec.Method(root, "ship");
        Assert.True(ship.TryGetProperty("paramStructure", out _));
        var schema = ship.GetProperty("params")[0].GetProperty("schema");
        Assert.Equal(["street", "zip"], schema.GetProperty("properties").EnumerateObject().Select(p => p.Name));
    }

    private static RpcMethodCatalog Build(Action<RpcMethodsBuilder> configure, RpcMethodsOptions? options = null)
    {
        var builder = new RpcMethodsBuilder();
        configure(builder);
        return builder.Build(Services, options ?? new RpcMethodsOptions());
    }

    private static ValueTask<RpcValue> Invoke(RpcMethodCatalog catalog)
    {
        var handler = Assert.IsAssignableFrom<TaskMethodHandler>(catalog.Methods.Single(m => m.Name == RpcMethodCatalog.DiscoverName).Handler);
        var context = new RpcContext("session-1", null, "websocket", RpcMethodCatalog.DiscoverName, "\"r1\"", Services);
        return handler.InvokeAsync(context, Encoding.UTF8.GetBytes("[]"), CancellationToken.None);
    }
}
