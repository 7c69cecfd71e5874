using System.Text;
using System.Text.Json;
using ActorRpc.Methods.Definition;
using Microsoft.Extensions.DependencyInjection;

namespace ActorRpc.Tests.Methods;

/// <summary>
/// Registering methods: wire names (naming policy, Async suffix, prefixes, explicit names),
/// duplicate detection, the built-in get_methods, delegates, and the error-code rules of RpcException.
/// </summary>
public sealed class RpcMethodsBuilderSpec
{
    private static readonly IServiceProvider Services = new ServiceCollection().BuildServiceProvider();

    // ---- naming ---------------------------------------------------------------------------------

    [Fact]
    public void Build_DefaultNaming_IsSnakeCaseWithoutAsyncSuffix()
    {
        var catalog = Build(b => b.AddMethods<NamingMethods>());

        Assert.Equal(
            ["authenticate", "computer_says_no", "get_http_status", "get_methods", "get_subscriptions", "get_topics", "load_user", "ping", "rpc.discover", "subscribe", "sync_data", "unsubscribe"],
            catalog.Names);
    }

    [Theory]
    [InlineData(RpcMethodNaming.CamelCase, "computerSaysNo", "loadUser")]
    [InlineData(RpcMethodNaming.KebabCaseLower, "computer-says-no", "load-user")]
    [InlineData(RpcMethodNaming.AsDeclared, "ComputerSaysNo", "LoadUser")]
    [InlineData(RpcMethodNaming.SnakeCaseLower, "computer_says_no", "load_user")]
    public void Build_NamingPolicy_ConvertsNamesAndStripsAsync(RpcMethodNaming naming, string computerSaysNo, string loadUser)
    {
        var catalog = Build(b => b.AddMethods<NamingMethods>(), new RpcMethodsOptions { MethodNaming = naming });

        Assert.Contains(computerSaysNo, catalog.Names);
        Assert.Contains(loadUser, catalog.Names);
        Assert.DoesNotContain(catalog.Names, n => n.Contains("async", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public void Build_MethodNamedExactlyAsync_KeepsItsName()
    {
        var catalog = Build(b => b.AddMethods<AsyncOnlyMethods>());

        Assert.Contains("async", catalog.Names);
    }

    [Fact]
    public void Build_ExplicitName_IsUsedAsIsWithoutNamingPolicy()
    {
        var catalog = Build(b => b.AddMethods<ExplicitMethods>());

        Assert.Contains("Sum.Of-Numbers", catalog.Names);
        Assert.Contains("multiply_async_value", catalog.Names);
        Assert.DoesNotContain("add", catalog.Names);
    }

    [Fact]
    public void Build_Prefix_UsesTheDefaultDotSeparator()
    {
        var catalog = Build(b => b.AddMethods<NamingMethods>("demo"));

        Assert.Contains("demo.ping", catalog.Names);
        Assert.Contains("demo.load_user", catalog.Names);
        Assert.DoesNotContain("ping", catalog.Names);
    }

    [Fact]
    public void Build_PrefixWithCustomSeparator_UsesTheSeparator()
    {
        var catalog = Build(b => b.AddMethods<NamingMethods>("math"), new RpcMethodsOptions { PrefixSeparator = "__" });

        Assert.Contains("math__ping", catalog.Names);
        Assert.Contains("math__computer_says_no", catalog.Names);
        Assert.Contains("get_methods", catalog.Names);
    }

    [Fact]
    public void Build_PrefixWithExplicitName_PrefixesTheExplicitName()
    {
        var catalog = Build(b => b.AddMethods<ExplicitMethods>("calc"), new RpcMethodsOptions { PrefixSeparator = "__" });

        Assert.Contains("calc__Sum.Of-Numbers", catalog.Names);
    }

    [Fact]
    public void Build_EmptyPrefix_AddsNoSeparator()
    {
        var catalog = Build(b => b.AddMethods<NamingMethods>(""));

        Assert.Contains("ping", catalog.Names);
    }

    [Fact]
    public void Build_OnlyMarkedPublicMethods_AreRegistered()
    {
        var catalog = Build(b => b.AddMethods<NamingMethods>());

        Assert.DoesNotContain("not_exposed", catalog.Names);
        Assert.DoesNotContain("hidden", catalog.Names);
    }

    [Fact]
    public void Build_InstanceRegistration_IncludesStaticAndInstanceMethods()
    {
        var catalog = Build(b => b.AddMethods(new Counter(5)));

        Assert.Contains("add", catalog.Names);
        Assert.Contains("version", catalog.Names);
    }

    [Fact]
    public void Build_StaticRegistration_IncludesOnlyStaticMethods()
    {
        var catalog = Build(b => b.AddStaticMethods(typeof(Counter)));

        Assert.Contains("version", catalog.Names);
        Assert.DoesNotContain("add", catalog.Names);
    }

    [Fact]
    public void Build_TypeWithoutMarkedMethods_Throws()
    {
        var builder = new RpcMethodsBuilder().AddMethods<Unmarked>();

        var ex = Assert.Throws<InvalidOperationException>(() => builder.Build(Services, new RpcMethodsOptions()));

        Assert.Contains(nameof(Unmarked), ex.Message, StringComparison.Ordinal);
    }

    // ---- duplicates and built-ins ---------------------------------------------------------------

    [Fact]
    public void Build_SameClassTwice_RejectsTheDuplicateNames()
    {
        var builder = new RpcMethodsBuilder().AddMethods<NamingMethods>().AddMethods<NamingMethods>();

        var ex = Assert.Throws<InvalidOperationException>(() => builder.Build(Services, new RpcMethodsOptions()));

        Assert.Contains("ping", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Build_DelegateCollidingWithAMethod_IsRejected()
    {
        var builder = new RpcMethodsBuilder().AddMethods<NamingMethods>().AddMethod("ping", () => "other pong");

        var ex = Assert.Throws<InvalidOperationException>(() => builder.Build(Services, new RpcMethodsOptions()));

        Assert.Contains("ping", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Build_SameClassUnderDifferentPrefixes_IsAccepted()
    {
        var catalog = Build(b => b.AddMethods<NamingMethods>("a").AddMethods<NamingMethods>("b"));

        Assert.Contains("a.ping", catalog.Names);
        Assert.Contains("b.ping", catalog.Names);
    }

    [Fact]
    public void Build_NamesDifferingOnlyInCase_AreDistinct()
    {
        var catalog = Build(b => b.AddMethod("Ping", () => 1).AddMethod("ping", () => 2));

        Assert.Contains("Ping", catalog.Names);
        Assert.Contains("ping", catalog.Names);
    }

    [Fact]
    public void Build_RegisteringGetMethods_IsRejected()
    {
        var builder = new RpcMethodsBuilder().AddMethod(RpcMethodCatalog.GetMethodsName, () => Array.Empty<string>());

        var ex = Assert.Throws<InvalidOperationException>(() => builder.Build(Services, new RpcMethodsOptions()));

        Assert.Contains("get_methods", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Build_NoRegistrations_StillHasBuiltIns()
    {
        var catalog = Build(_ => { });

        Assert.Equal(["authenticate", "get_methods", "get_subscriptions", "get_topics", "rpc.discover", "subscribe", "unsubscribe"], catalog.Names);
        Assert.Equal(["get_methods", "rpc.discover"], catalog.Methods.Select(m => m.Name));
    }

    [Fact]
    public void Build_Catalog_ListsBuiltInsLastAndNamesSortedOrdinally()
    {
        var catalog = Build(b => b.AddMethod("zeta", () => 1).AddMethod("Alpha", () => 2).AddMethod("alpha", () => 3).AddMethod("_x", () => 4));

        Assert.Equal(["zeta", "Alpha", "alpha", "_x", "get_methods", "rpc.discover"], catalog.Methods.Select(m => m.Name));
        Assert.Equal(["Alpha", "_x", "alpha", "authenticate", "get_methods", "get_subscriptions", "get_topics", "rpc.discover", "subscribe", "unsubscribe", "zeta"], catalog.Names);
    }

    [Fact]
    public async Task GetMethods_Invoked_ReturnsEveryNameSortedIncludingItself()
    {
        var catalog = Build(b => b.AddMethods<NamingMethods>("demo").AddMethod("zeta", () => 1).AddMethod("Alpha", () => 2));

        var result = await Invoke(catalog, RpcMethodCatalog.GetMethodsName, null);

        var names = Assert.IsAssignableFrom<IEnumerable<string>>(result.Value);
        Assert.Equal(
            ["Alpha", "authenticate", "demo.computer_says_no", "demo.get_http_status", "demo.load_user", "demo.ping", "demo.sync_data", "get_methods", "get_subscriptions", "get_topics", "rpc.discover", "subscribe", "unsubscribe", "zeta"],
            names);
    }

    [Theory]
    [InlineData("[]")]
    [InlineData("{}")]
    public async Task GetMethods_WithEmptyParams_Succeeds(string rawParams)
    {
        var catalog = Build(b => b.AddMethod("one", () => 1));

        var result = await Invoke(catalog, RpcMethodCatalog.GetMethodsName, rawParams);

        Assert.Equal(["authenticate", "get_methods", "get_subscriptions", "get_topics", "one", "rpc.discover", "subscribe", "unsubscribe"], Assert.IsAssignableFrom<IEnumerable<string>>(result.Value));
    }

    [Fact]
    public async Task GetMethods_WithArguments_ThrowsInvalidParams()
    {
        var catalog = Build(b => b.AddMethod("one", () => 1));

        await Assert.ThrowsAsync<RpcInvalidParamsException>(() => Invoke(catalog, RpcMethodCatalog.GetMethodsName, "[1]").AsTask());
    }

    // ---- delegates ------------------------------------------------------------------------------

    [Fact]
    public async Task AddMethod_Lambda_BindsItsParametersByPositionAndName()
    {
        var catalog = Build(b => b.AddMethod("Add_Numbers", (int a, int b) => a + b));

        var positional = await Invoke(catalog, "Add_Numbers", "[2, 3]");
        var named = await Invoke(catalog, "Add_Numbers", """{"b": 10, "a": 1}""");

        Assert.Equal(5, positional.Value);
        Assert.Equal(11, named.Value);
    }

    [Fact]
    public async Task AddMethod_CapturingAsyncLambda_RunsWithItsCapturedState()
    {
        var calls = 0;
        var catalog = Build(b => b.AddMethod("count", async (CancellationToken cancellationToken) =>
        {
            await Task.Yield();
            cancellationToken.ThrowIfCancellationRequested();
            return ++calls;
        }));

        await Invoke(catalog, "count", null);
        var second = await Invoke(catalog, "count", null);

        Assert.Equal(2, second.Value);
        Assert.Equal(2, calls);
    }

    [Fact]
    public async Task AddMethod_LambdaWithContext_ReceivesTheContext()
    {
        var catalog = Build(b => b.AddMethod("whoami", (RpcContext context) => context.SessionId + ":" + context.RequestId));

        var result = await Invoke(catalog, "whoami", null);

        Assert.Equal("session-1:\"r1\"", result.Value);
    }

    [Fact]
    public async Task AddMethod_StaticMethodGroup_IsCallable()
    {
        var catalog = Build(b => b.AddMethod("twice", Twice));

        var result = await Invoke(catalog, "twice", "[21]");

        Assert.Equal(42, result.Value);
    }

    [Theory]
    [InlineData("")]
    [InlineData(" ")]
    public void AddMethod_BlankName_Throws(string name)
    {
        Assert.Throws<ArgumentException>(() => new RpcMethodsBuilder().AddMethod(name, () => 1));
    }

    [Fact]
    public async Task AddMethods_GenericType_CreatesTheInstanceWithConstructorInjection()
    {
        var services = new ServiceCollection().AddSingleton(new Counter(40)).BuildServiceProvider();
        var catalog = new RpcMethodsBuilder().AddMethods<UsesCounter>().Build(services, new RpcMethodsOptions());

        var result = await Invoke(catalog, "plus_two", null);

        Assert.Equal(42, result.Value);
    }

    [Fact]
    public async Task Build_SerializerOptions_AreUsedForBinding()
    {
        var options = new RpcMethodsOptions
        {
            SerializerOptions = new JsonSerializerOptions { NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowReadingFromString },
        };
        var catalog = Build(b => b.AddMethod("inc", (int x) => x + 1), options);

        var result = await Invoke(catalog, "inc", """["41"]""");

        Assert.Equal(42, result.Value);
    }

    [Fact]
    public async Task Build_DefaultSerializerOptions_RejectNumbersInStrings()
    {
        var catalog = Build(b => b.AddMethod("inc", (int x) => x + 1));

        var ex = await Assert.ThrowsAsync<RpcInvalidParamsException>(() => Invoke(catalog, "inc", """["41"]""").AsTask());

        Assert.Contains("'x'", ex.Message, StringComparison.Ordinal);
    }

    // ---- RpcException code rules ----------------------------------------------------------------

    [Theory]
    [InlineData(-32050)]
    [InlineData(-32099)]
    [InlineData(-32000)]
    [InlineData(1)]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(-31999)]
    [InlineData(-32769)]
    [InlineData(int.MinValue)]
    [InlineData(int.MaxValue)]
    public void RpcException_ApplicationCode_IsAccepted(int code)
    {
        var ex = new RpcException(code, "message", "data");

        Assert.Equal(code, ex.Code);
        Assert.Equal("message", ex.Message);
        Assert.Equal("data", ex.ErrorData);
        Assert.True(RpcException.IsApplicationCode(code));
    }

    [Theory]
    [InlineData(-32768)]
    [InlineData(-32700)]
    [InlineData(-32603)]
    [InlineData(-32602)]
    [InlineData(-32601)]
    [InlineData(-32600)]
    [InlineData(-32100)]
    [InlineData(-32500)]
    public void RpcException_ReservedCode_IsRejected(int code)
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => new RpcException(code, "message"));

        Assert.Equal("code", ex.ParamName);
        Assert.False(RpcException.IsApplicationCode(code));
    }

    [Fact]
    public void RpcInvalidParamsException_UsesTheReservedInvalidParamsCode()
    {
        var ex = new RpcInvalidParamsException("Invalid params: nope.", 3);

        Assert.Equal(-32602, ex.Code);
        Assert.Equal("Invalid params: nope.", ex.Message);
        Assert.Equal(3, ex.ErrorData);
        Assert.IsAssignableFrom<RpcException>(ex);
    }

    // ---- helpers --------------------------------------------------------------------------------

    private static int Twice(int value) => value * 2;

    private static RpcMethodCatalog Build(Action<RpcMethodsBuilder> configure, RpcMethodsOptions? options = null)
    {
        var builder = new RpcMethodsBuilder();
        configure(builder);
        return builder.Build(Services, options ?? new RpcMethodsOptions());
    }

    private static ValueTask<RpcValue> Invoke(RpcMethodCatalog catalog, string name, string? rawParams)
    {
        var handler = Assert.IsAssignableFrom<TaskMethodHandler>(catalog.Methods.Single(m => m.Name == name).Handler);
        var context = new RpcContext("session-1", null, "websocket", name, "\"r1\"", Services);
        return handler.InvokeAsync(context, rawParams is null ? default : Encoding.UTF8.GetBytes(rawParams), CancellationToken.None);
    }

    private sealed class NamingMethods
    {
        [RpcMethod]
        public static string Ping() => "pong";

        [RpcMethod]
        public static void ComputerSaysNo() => throw new RpcException(-32050, "Computer says no.");

        [RpcMethod]
        public static Task<int> LoadUserAsync(int id) => Task.FromResult(id);

        [RpcMethod]
        public static int GetHTTPStatus() => 200;

        [RpcMethod]
        public Task SyncDataAsync() => Task.CompletedTask;

        public static int NotExposed() => 0;

        [RpcMethod]
        internal static int Hidden() => 0;
    }

    private sealed class AsyncOnlyMethods
    {
        [RpcMethod]
        public static Task Async() => Task.CompletedTask;
    }

    private sealed class ExplicitMethods
    {
        [RpcMethod("Sum.Of-Numbers")]
        public static int Add(int a, int b) => a + b;

        [RpcMethod("multiply_async_value")]
        public static Task<int> MultiplyAsync(int a, int b) => Task.FromResult(a * b);
    }

    private sealed class Counter(int start)
    {
        public int Start => start;

        [RpcMethod]
        public int Add(int amount) => start + amount;

        [RpcMethod]
        public static string Version() => "1.0";
    }

    private sealed class UsesCounter(Counter counter)
    {
        [RpcMethod]
        public int PlusTwo() => counter.Start + 2;
    }

    private sealed class Unmarked
    {
        public static int Nothing() => 0;
    }
}
