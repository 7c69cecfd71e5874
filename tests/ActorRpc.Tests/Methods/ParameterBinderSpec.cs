using System.Reflection;
using System.Text;
using System.Text.Json;
using ActorRpc.Methods.Binding;
using ActorRpc.Methods.Definition;
using Microsoft.Extensions.DependencyInjection;

namespace ActorRpc.Tests.Methods;

/// <summary>
/// Binding a call's params to a .NET method's arguments, and running the method through
/// <see cref="ReflectedMethodHandler"/> (return types, exceptions).
/// </summary>
public sealed class ParameterBinderSpec
{
    private static readonly JsonSerializerOptions Options = RpcMethodsOptions.CreateDefaultSerializerOptions();
    private static readonly IServiceProvider Services = new ServiceCollection().BuildServiceProvider();
    private static readonly RpcContext Context = new("session-1", "127.0.0.1:5000", "websocket", "test", "1", Services);

    // ---- positional and named -------------------------------------------------------------------

    [Fact]
    public void Bind_PositionalArray_BindsInDeclarationOrder()
    {
        var args = Bind(nameof(Targets.Subtract), "[42, 23]");

        Assert.Equal(new object?[] { 42, 23 }, args);
    }

    [Fact]
    public void Bind_NamedObject_BindsByNameInAnyOrder()
    {
        var args = Bind(nameof(Targets.Subtract), """{"subtrahend": 23, "minuend": 42}""");

        Assert.Equal(new object?[] { 42, 23 }, args);
    }

    [Theory]
    [InlineData("""{"userId": 5}""")]
    [InlineData("""{"user_id": 5}""")]
    [InlineData("""{"UserId": 5}""")]
    [InlineData("""{"USER_ID": 5}""")]
    public void Bind_NamedParameterInCamelSnakeOrOtherCase_IsMatched(string rawParams)
    {
        var args = Bind(nameof(Targets.FindUser), rawParams);

        Assert.Equal(5L, args[0]);
    }

    // Issue #12: a key given twice, or two spellings of one parameter, bound whichever the lookup met first.
    [Theory]
    [InlineData("""{"minuend": 1, "subtrahend": 2, "minuend": 3}""", "'minuend'")]
    [InlineData("""{"minuend": 1, "Minuend": 3, "subtrahend": 2}""", "'Minuend'")]
    [InlineData("""{"subtrahend": 2, "MINUEND": 3, "minuend": 1}""", "'minuend'")]
    public void Bind_NamedKeyTwiceOrInTwoCases_ThrowsInvalidParamsNamingTheKey(string rawParams, string named)
    {
        var ex = Assert.Throws<RpcInvalidParamsException>(() => Bind(nameof(Targets.Subtract), rawParams));

        Assert.Equal(-32602, ex.Code);
        Assert.Contains(named, ex.Message, StringComparison.Ordinal);
        Assert.Contains("more than once", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"userId": 5, "user_id": 6}""")]
    [InlineData("""{"user_id": 5, "UserId": 6}""")]
    public void Bind_NamedParameterInCamelAndSnakeCase_ThrowsInvalidParams(string rawParams)
    {
        var ex = Assert.Throws<RpcInvalidParamsException>(() => Bind(nameof(Targets.FindUser), rawParams));

        Assert.Equal(-32602, ex.Code);
        Assert.Contains("more than once", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Bind_UnknownKeyOfAnyLength_EchoedBounded()
    {
        var key = new string('k', 100_000);

        var ex = Assert.Throws<RpcInvalidParamsException>(() => Bind(nameof(Targets.Subtract), $$"""{"minuend": 1, "subtrahend": 2, "{{key}}": 3}"""));

        Assert.Contains("unknown parameter 'kkkk", ex.Message, StringComparison.Ordinal);
        Assert.True(ex.Message.Length < 400, $"{ex.Message.Length} chars");
    }

    [Fact]
    public void Bind_UnknownKeyOfAnyLengthForParameterlessMethod_EchoedBounded()
    {
        var key = new string('k', 100_000);

        var ex = Assert.Throws<RpcInvalidParamsException>(() => Bind(nameof(Targets.NoParameters), $$"""{"{{key}}": 1}"""));

        Assert.Contains("unknown parameter 'kkkk", ex.Message, StringComparison.Ordinal);
        Assert.True(ex.Message.Length < 400, $"{ex.Message.Length} chars");
    }

    [Fact]
    public void Bind_TooManyPositional_ThrowsInvalidParamsWithCounts()
    {
        var ex = Assert.Throws<RpcInvalidParamsException>(() => Bind(nameof(Targets.Subtract), "[1, 2, 3]"));

        Assert.Equal(-32602, ex.Code);
        Assert.Contains("3 positional", ex.Message, StringComparison.Ordinal);
        Assert.Contains("at most 2", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Bind_UnknownNamedParameter_ThrowsInvalidParamsNamingIt()
    {
        var ex = Assert.Throws<RpcInvalidParamsException>(() => Bind(nameof(Targets.Subtract), """{"minuend": 1, "subtrahend": 2, "divisor": 3}"""));

        Assert.Contains("'divisor'", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Bind_UnknownNamedParameterInsteadOfAKnownOne_ReportsTheMissingOne()
    {
        // Missing beats unknown: the first problem found is the required parameter that was not given.
        var ex = Assert.Throws<RpcInvalidParamsException>(() => Bind(nameof(Targets.Subtract), """{"minuend": 1, "subtrahendd": 2}"""));

        Assert.Contains("'subtrahend'", ex.Message, StringComparison.Ordinal);
    }

    // ---- optional and missing -------------------------------------------------------------------

    [Fact]
    public void Bind_OptionalParametersOmittedPositionally_UseTheirDefaults()
    {
        var args = Bind(nameof(Targets.Greet), """["Ada"]""");

        Assert.Equal(new object?[] { "Ada", "Hello", 1, null, 2.5, 7L }, args);
    }

    [Fact]
    public void Bind_OptionalParametersOmittedByName_UseTheirDefaults()
    {
        var args = Bind(nameof(Targets.Greet), """{"name": "Ada", "times": 3}""");

        Assert.Equal(new object?[] { "Ada", "Hello", 3, null, 2.5, 7L }, args);
    }

    [Fact]
    public void Bind_OptionalParametersGiven_OverrideTheDefaults()
    {
        var args = Bind(nameof(Targets.Greet), """["Ada", "Hi", 2, "!", 1, 8]""");

        Assert.Equal(new object?[] { "Ada", "Hi", 2, "!", 1.0, 8L }, args);
    }

    [Fact]
    public void Bind_OptionalEnumParameterOmitted_UsesItsDefault()
    {
        var args = Bind(nameof(Targets.WithEnumDefault), "[]");

        Assert.Equal(Speed.Fast, args[0]);
    }

    [Fact]
    public void Bind_OptionalNullableEnumParameterOmitted_UsesItsDefault()
    {
        // ParameterInfo.DefaultValue reports the underlying int for a nullable enum (dotnet/runtime#12924, kept for compatibility).
        var args = Bind(nameof(Targets.WithEnumDefault), "[]");

        Assert.Equal(Speed.Slow, args[1]);
    }

    [Fact]
    public async Task InvokeAsync_OptionalNullableEnumParameterOmitted_RunsWithItsDefault()
    {
        // Same cause as above: the boxed int cannot be passed as Speed?, so reflection throws ArgumentException.
        var value = await Invoke(nameof(Targets.WithEnumDefault), "[]");

        Assert.Equal("FastSlow", value.Value);
    }

    [Fact]
    public void Bind_OptionalValueTypeDeclaredDefault_IsTheTypesDefault()
    {
        var args = Bind(nameof(Targets.WithDefaultKeyword), null);

        Assert.Equal(0, args[0]);
        Assert.Equal(Guid.Empty, args[1]);
    }

    [Theory]
    [InlineData("[]")]
    [InlineData("{}")]
    [InlineData("""{"greeting": "Hi"}""")]
    [InlineData(null)]
    public void Bind_MissingRequiredParameter_ThrowsInvalidParamsNamingIt(string? rawParams)
    {
        var ex = Assert.Throws<RpcInvalidParamsException>(() => Bind(nameof(Targets.Greet), rawParams));

        Assert.Equal(-32602, ex.Code);
        Assert.Contains("missing", ex.Message, StringComparison.Ordinal);
        Assert.Contains("'name'", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Bind_AbsentParamsWithOnlyOptionalParameters_UsesDefaults()
    {
        var args = Bind(nameof(Targets.AllOptional), null);

        Assert.Equal(new object?[] { 10, "x" }, args);
    }

    // ---- types and null -------------------------------------------------------------------------

    [Theory]
    [InlineData("[\"5\"]")]
    [InlineData("[1.5]")]
    [InlineData("[true]")]
    [InlineData("[2147483648]")]
    [InlineData("[[1]]")]
    [InlineData("[{}]")]
    public void Bind_WrongTypeForInt_ThrowsInvalidParamsNamingTheParameter(string rawParams)
    {
        var ex = Assert.Throws<RpcInvalidParamsException>(() => Bind(nameof(Targets.TakeInt), rawParams));

        Assert.Contains("'value'", ex.Message, StringComparison.Ordinal);
        Assert.Contains("integer", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Bind_WrongTypeForString_ThrowsInvalidParamsNamingTheParameter()
    {
        var ex = Assert.Throws<RpcInvalidParamsException>(() => Bind(nameof(Targets.TakeString), """{"value": 5}"""));

        Assert.Contains("'value'", ex.Message, StringComparison.Ordinal);
        Assert.Contains("a string", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Bind_WrongTypeForDto_ThrowsInvalidParamsNamingTheParameter()
    {
        var ex = Assert.Throws<RpcInvalidParamsException>(() => Bind(nameof(Targets.TakePerson), """["Ada"]"""));

        Assert.Contains("'person'", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Bind_NullForNonNullableValueType_ThrowsInvalidParams()
    {
        var ex = Assert.Throws<RpcInvalidParamsException>(() => Bind(nameof(Targets.TakeInt), "[null]"));

        Assert.Contains("'value'", ex.Message, StringComparison.Ordinal);
        Assert.Contains("null", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Bind_NullForNullableValueType_BindsNull()
    {
        var args = Bind(nameof(Targets.TakeNullableInt), "[null]");

        Assert.Null(args[0]);
    }

    [Fact]
    public void Bind_NumberForNullableValueType_BindsTheNumber()
    {
        var args = Bind(nameof(Targets.TakeNullableInt), """{"value": 4}""");

        Assert.Equal(4, args[0]);
    }

    [Fact]
    public void Bind_NullForNonNullableReferenceType_ThrowsInvalidParams()
    {
        var ex = Assert.Throws<RpcInvalidParamsException>(() => Bind(nameof(Targets.TakeString), """{"value": null}"""));

        Assert.Contains("'value'", ex.Message, StringComparison.Ordinal);
        Assert.Contains("null", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Bind_NullForNonNullableDto_ThrowsInvalidParams()
    {
        var ex = Assert.Throws<RpcInvalidParamsException>(() => Bind(nameof(Targets.TakePerson), "[null]"));

        Assert.Contains("'person'", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Bind_NullForNullableReferenceType_BindsNull()
    {
        var args = Bind(nameof(Targets.TakeNullableString), "[null]");

        Assert.Null(args[0]);
    }

    [Fact]
    public void Bind_NullForOptionalNullableReference_OverridesTheDefault()
    {
        var args = Bind(nameof(Targets.AllOptional), """[1, null]""");

        Assert.Equal(new object?[] { 1, null }, args);
    }

    [Fact]
    public void Bind_JsonElementParameter_AcceptsAnyValueIncludingNull()
    {
        var args = Bind(nameof(Targets.TakeElement), """[{"a":[1,2]}]""");
        var nullArgs = Bind(nameof(Targets.TakeElement), "[null]");

        Assert.Equal("""{"a":[1,2]}""", ((JsonElement)args[0]!).GetRawText());
        Assert.Equal(JsonValueKind.Null, ((JsonElement)nullArgs[0]!).ValueKind);
    }

    [Fact]
    public void Bind_TypedDtoPositionally_DeserializesWithWebDefaults()
    {
        var args = Bind(nameof(Targets.TakePerson), """[{"name": "Ada", "age": 36}]""");

        Assert.Equal(new Person("Ada", 36), args[0]);
    }

    [Fact]
    public void Bind_TypedDtoByName_DeserializesIt()
    {
        var args = Bind(nameof(Targets.TakePerson), """{"person": {"Name": "Ada", "AGE": 36}}""");

        Assert.Equal(new Person("Ada", 36), args[0]);
    }

    [Fact]
    public void Bind_ArrayParameter_DeserializesTheArray()
    {
        var args = Bind(nameof(Targets.Sum), "[[1, 2, 3]]");

        Assert.Equal(new[] { 1, 2, 3 }, (int[])args[0]!);
    }

    // ---- [RpcParams] ----------------------------------------------------------------------------

    [Theory]
    [InlineData("[1,\"two\",{\"three\":3}]")]
    [InlineData("{\"a\":1,\"b\":[true]}")]
    [InlineData("[]")]
    [InlineData("{}")]
    public void Bind_WholeParamsJsonElement_GetsTheWholeParams(string rawParams)
    {
        var args = Bind(nameof(Targets.WholeElement), rawParams);

        var element = Assert.IsType<JsonElement>(args[0]);
        Assert.Equal(rawParams, element.GetRawText());
    }

    [Fact]
    public void Bind_WholeParamsJsonElement_OutlivesTheBindersDocument()
    {
        var args = Bind(nameof(Targets.WholeElement), """{"still":"here"}""");

        // The binder disposes its JsonDocument; the bound value must not depend on it.
        Assert.Equal("here", ((JsonElement)args[0]!).GetProperty("still").GetString());
    }

    [Fact]
    public void Bind_WholeParamsAbsent_BindsNull()
    {
        var element = Bind(nameof(Targets.WholeElement), null);
        var dto = Bind(nameof(Targets.WholeDto), null);

        Assert.Null(element[0]);
        Assert.Null(dto[0]);
    }

    [Fact]
    public void Bind_WholeParamsDtoFromObject_DeserializesTheDto()
    {
        var args = Bind(nameof(Targets.WholeDto), """{"name": "Ada", "age": 36}""");

        Assert.Equal(new Person("Ada", 36), args[0]);
    }

    [Fact]
    public void Bind_WholeParamsDtoFromArray_ThrowsInvalidParams()
    {
        var ex = Assert.Throws<RpcInvalidParamsException>(() => Bind(nameof(Targets.WholeDto), """["Ada", 36]"""));

        Assert.Contains("'person'", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Bind_WholeParamsNonNullableDtoAbsent_ThrowsInvalidParams()
    {
        var ex = Assert.Throws<RpcInvalidParamsException>(() => Bind(nameof(Targets.WholeDtoRequired), null));

        Assert.Contains("'person'", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Bind_WholeParamsWithInjectedParameters_InjectsThem()
    {
        using var cts = new CancellationTokenSource();

        var args = Bind(nameof(Targets.WholeWithContext), "[1]", cts.Token);

        Assert.Same(Context, args[0]);
        Assert.Equal("[1]", ((JsonElement)args[1]!).GetRawText());
        Assert.Equal(cts.Token, args[2]);
    }

    [Fact]
    public void Constructor_WholeParamsWithAnotherJsonParameter_Throws()
    {
        var ex = Assert.Throws<InvalidOperationException>(() => new ParameterBinder(Method(nameof(Targets.WholeAndMore)), Options));

        Assert.Contains("[RpcParams]", ex.Message, StringComparison.Ordinal);
    }

    // ---- injection ------------------------------------------------------------------------------

    [Fact]
    public void Bind_CancellationTokenAndContext_AreInjectedNotBound()
    {
        using var cts = new CancellationTokenSource();

        var args = Bind(nameof(Targets.Injected), "[7]", cts.Token);

        Assert.Same(Context, args[0]);
        Assert.Equal(7, args[1]);
        Assert.Equal(cts.Token, args[2]);
    }

    [Fact]
    public void Bind_InjectedParametersByName_AreNotCountedAsJsonParameters()
    {
        var args = Bind(nameof(Targets.Injected), """{"value": 7}""");

        Assert.Equal(7, args[1]);
        Assert.Equal(["value"], new ParameterBinder(Method(nameof(Targets.Injected)), Options).JsonParameterNames);
    }

    [Theory]
    [InlineData("[7, 8]")]
    [InlineData("""{"value": 7, "cancellationToken": 1}""")]
    [InlineData("""{"value": 7, "context": {}}""")]
    public void Bind_ValuesForInjectedParameters_AreRejected(string rawParams)
    {
        Assert.Throws<RpcInvalidParamsException>(() => Bind(nameof(Targets.Injected), rawParams));
    }

    // ---- parameterless methods ------------------------------------------------------------------

    [Theory]
    [InlineData(null)]
    [InlineData("[]")]
    [InlineData("{}")]
    [InlineData("[ ]")]
    [InlineData("{ }")]
    public void Bind_ParameterlessMethodWithNoArguments_Succeeds(string? rawParams)
    {
        Assert.Empty(Bind(nameof(Targets.NoParameters), rawParams));
    }

    [Theory]
    [InlineData("[1]")]
    [InlineData("[null]")]
    [InlineData("[[]]")]
    public void Bind_ParameterlessMethodWithPositionalArguments_ThrowsInvalidParams(string rawParams)
    {
        var ex = Assert.Throws<RpcInvalidParamsException>(() => Bind(nameof(Targets.NoParameters), rawParams));

        Assert.Contains("no parameters", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Bind_ParameterlessMethodWithNamedArgument_ThrowsInvalidParamsNamingIt()
    {
        var ex = Assert.Throws<RpcInvalidParamsException>(() => Bind(nameof(Targets.NoParameters), """{"x": 1}"""));

        Assert.Contains("'x'", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("[]")]
    [InlineData("{}")]
    public void Bind_MethodWithOnlyInjectedParametersAndNoArguments_Succeeds(string? rawParams)
    {
        var args = Bind(nameof(Targets.OnlyInjected), rawParams);

        Assert.Same(Context, args[0]);
    }

    [Theory]
    [InlineData("[1]")]
    [InlineData("""{"x": 1}""")]
    public void Bind_MethodWithOnlyInjectedParametersGivenArguments_ThrowsInvalidParams(string rawParams)
    {
        Assert.Throws<RpcInvalidParamsException>(() => Bind(nameof(Targets.OnlyInjected), rawParams));
    }

    // ---- lambdas --------------------------------------------------------------------------------

    [Fact]
    public void Bind_LambdaParameters_BindByTheirNames()
    {
        Func<int, string, string> lambda = (count, label) => label + count;

        var args = new ParameterBinder(lambda.Method, Options).Bind(Raw("""{"label":"n","count":2}"""), Context, CancellationToken.None);

        Assert.Equal(new object?[] { 2, "n" }, args);
    }

    [Fact]
    public void Bind_NullForNonNullableLambdaParameter_ThrowsInvalidParams()
    {
        Func<string, int> lambda = text => text.Length;

        var binder = new ParameterBinder(lambda.Method, Options);

        Assert.Throws<RpcInvalidParamsException>(() => binder.Bind(Raw("[null]"), Context, CancellationToken.None));
    }

    // ---- ReflectedMethodHandler: return types and exceptions ------------------------------------

    [Fact]
    public async Task InvokeAsync_SyncValue_ReturnsItWithTheDeclaredType()
    {
        var value = await Invoke(nameof(Targets.Subtract), "[5, 3]");

        Assert.Equal(2, value.Value);
        Assert.Equal(typeof(int), value.Type);
    }

    [Fact]
    public async Task InvokeAsync_Void_ReturnsNull()
    {
        Targets.VoidCalls = 0;

        var value = await Invoke(nameof(Targets.ReturnsVoid), null);

        Assert.Equal(1, Targets.VoidCalls);
        Assert.Null(value.Value);
    }

    [Fact]
    public async Task InvokeAsync_Task_AwaitsItAndReturnsNull()
    {
        var gate = new TaskCompletionSource();
        var pending = Handler(nameof(Targets.ReturnsTask)).InvokeAsync(Context, Raw($"[{Targets.Register(gate)}]"), CancellationToken.None);

        Assert.False(pending.IsCompleted);
        gate.SetResult();
        var value = await pending;

        Assert.Null(value.Value);
    }

    [Fact]
    public async Task InvokeAsync_TaskOfT_AwaitsTheResult()
    {
        var value = await Invoke(nameof(Targets.ReturnsTaskOfT), "[21]");

        Assert.Equal(42, value.Value);
        Assert.Equal(typeof(int), value.Type);
    }

    [Fact]
    public async Task InvokeAsync_CompletedTaskOfT_ReturnsSynchronously()
    {
        var pending = Handler(nameof(Targets.ReturnsCompletedTaskOfT)).InvokeAsync(Context, Raw("[\"x\"]"), CancellationToken.None);

        Assert.True(pending.IsCompletedSuccessfully);
        Assert.Equal("x", (await pending).Value);
    }

    [Fact]
    public async Task InvokeAsync_ValueTaskOfT_AwaitsTheResult()
    {
        var value = await Invoke(nameof(Targets.ReturnsValueTaskOfT), "[\"ab\"]");

        Assert.Equal("abab", value.Value);
        Assert.Equal(typeof(string), value.Type);
    }

    [Fact]
    public async Task InvokeAsync_ValueTask_AwaitsItAndReturnsNull()
    {
        var value = await Invoke(nameof(Targets.ReturnsValueTask), null);

        Assert.Null(value.Value);
    }

    [Fact]
    public async Task InvokeAsync_ObjectReturn_KeepsObjectAsTheType()
    {
        var value = await Invoke(nameof(Targets.ReturnsObject), null);

        Assert.Equal(5, value.Value);
        Assert.Equal(typeof(object), value.Type);
    }

    [Fact]
    public async Task InvokeAsync_SyncThrow_PropagatesTheOriginalException()
    {
        var ex = await Assert.ThrowsAsync<InvalidOperationException>(() => Invoke(nameof(Targets.ThrowsSync), null).AsTask());

        Assert.Equal("sync boom", ex.Message);
    }

    [Fact]
    public async Task InvokeAsync_ThrowBeforeReturningATask_PropagatesTheOriginalException()
    {
        var ex = await Assert.ThrowsAsync<ArgumentException>(() => Invoke(nameof(Targets.ThrowsBeforeTask), null).AsTask());

        Assert.Equal("early boom", ex.Message);
    }

    [Fact]
    public async Task InvokeAsync_AsyncThrow_PropagatesTheOriginalException()
    {
        var ex = await Assert.ThrowsAsync<FormatException>(() => Invoke(nameof(Targets.ThrowsAsync), null).AsTask());

        Assert.Equal("async boom", ex.Message);
    }

    [Fact]
    public async Task InvokeAsync_HandlerRpcException_PropagatesWithItsCode()
    {
        var ex = await Assert.ThrowsAsync<RpcException>(() => Invoke(nameof(Targets.ThrowsRpc), null).AsTask());

        Assert.Equal(-32050, ex.Code);
    }

    [Fact]
    public async Task InvokeAsync_BindingFailure_ThrowsInvalidParamsWithoutRunningTheMethod()
    {
        Targets.VoidCalls = 0;

        await Assert.ThrowsAsync<RpcInvalidParamsException>(() => Invoke(nameof(Targets.ReturnsVoid), "[1]").AsTask());

        Assert.Equal(0, Targets.VoidCalls);
    }

    [Fact]
    public async Task InvokeAsync_InstanceMethod_RunsOnTheTarget()
    {
        var target = new Counter(10);
        var handler = new ReflectedMethodHandler(typeof(Counter).GetMethod(nameof(Counter.Add))!, target, Options);

        var value = await handler.InvokeAsync(Context, Raw("[5]"), CancellationToken.None);

        Assert.Equal(15, value.Value);
    }

    [Fact]
    public async Task InvokeAsync_Lambda_RunsTheDelegate()
    {
        var captured = 100;
        Func<int, int> lambda = x => x + captured;
        var handler = new ReflectedMethodHandler(lambda.Method, lambda.Target, Options);

        var value = await handler.InvokeAsync(Context, Raw("[1]"), CancellationToken.None);

        Assert.Equal(101, value.Value);
    }

    [Fact]
    public async Task InvokeAsync_CancellationToken_ReachesTheMethod()
    {
        using var cts = new CancellationTokenSource();
        var pending = Handler(nameof(Targets.WaitForCancel)).InvokeAsync(Context, default, cts.Token);

        Assert.False(pending.IsCompleted);
        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => pending.AsTask());
    }

    [Fact]
    public void Constructor_InstanceMethodWithoutTarget_Throws()
    {
        Assert.Throws<ArgumentException>(() => new ReflectedMethodHandler(typeof(Counter).GetMethod(nameof(Counter.Add))!, null, Options));
    }

    [Fact]
    public void Constructor_UnsupportedTaskSubtype_Throws()
    {
        Assert.Throws<NotSupportedException>(() => ResultAdapter.For(typeof(MyTask)));
    }

    // ---- helpers --------------------------------------------------------------------------------

    private static object?[] Bind(string method, string? rawParams, CancellationToken cancellationToken = default) =>
        new ParameterBinder(Method(method), Options).Bind(Raw(rawParams), Context, cancellationToken);

    private static ValueTask<RpcValue> Invoke(string method, string? rawParams) =>
        Handler(method).InvokeAsync(Context, Raw(rawParams), CancellationToken.None);

    private static ReflectedMethodHandler Handler(string method) => new(Method(method), null, Options);

    private static MethodInfo Method(string name) =>
        typeof(Targets).GetMethod(name, BindingFlags.Public | BindingFlags.Static) ?? throw new InvalidOperationException(name);

    private static ReadOnlyMemory<byte> Raw(string? json) => json is null ? default : Encoding.UTF8.GetBytes(json);

    private sealed record Person(string Name, int Age);

    private enum Speed
    {
        Slow,
        Fast,
    }

    private sealed class MyTask() : Task(() => { });

    private sealed class Counter(int start)
    {
        public int Add(int amount) => start + amount;
    }

    private static class Targets
    {
        private static readonly Dictionary<int, TaskCompletionSource> Gates = [];

        public static int VoidCalls { get; set; }

        public static int Register(TaskCompletionSource gate)
        {
            lock (Gates)
            {
                var key = Gates.Count + 1;
                Gates[key] = gate;
                return key;
            }
        }

        public static int Subtract(int minuend, int subtrahend) => minuend - subtrahend;

        public static long FindUser(long userId) => userId;

        public static string Greet(string name, string greeting = "Hello", int times = 1, string? suffix = null, double factor = 2.5, long seed = 7) =>
            $"{greeting} {name} {times}{suffix}{factor}{seed}";

        public static string WithEnumDefault(Speed speed = Speed.Fast, Speed? other = Speed.Slow) => $"{speed}{other}";

        public static string WithDefaultKeyword(int count = default, Guid id = default) => $"{count}{id}";

        public static string AllOptional(int count = 10, string? label = "x") => $"{count}{label}";

        public static int TakeInt(int value) => value;

        public static int? TakeNullableInt(int? value) => value;

        public static string TakeString(string value) => value;

        public static string? TakeNullableString(string? value) => value;

        public static JsonElement TakeElement(JsonElement value) => value;

        public static Person TakePerson(Person person) => person;

        public static int Sum(int[] values) => values.Sum();

        public static JsonElement? WholeElement([RpcParams] JsonElement? parameters) => parameters;

        public static Person? WholeDto([RpcParams] Person? person) => person;

        public static Person WholeDtoRequired([RpcParams] Person person) => person;

        public static string WholeWithContext(RpcContext context, [RpcParams] JsonElement parameters, CancellationToken cancellationToken) =>
            $"{context.Method}{parameters}{cancellationToken.IsCancellationRequested}";

        public static string WholeAndMore([RpcParams] JsonElement parameters, int extra) => $"{parameters}{extra}";

        public static string Injected(RpcContext context, int value, CancellationToken cancellationToken) =>
            $"{context.Method}{value}{cancellationToken.IsCancellationRequested}";

        public static string OnlyInjected(RpcContext context, CancellationToken cancellationToken) =>
            $"{context.Method}{cancellationToken.IsCancellationRequested}";

        public static string NoParameters() => "none";

        public static void ReturnsVoid() => VoidCalls++;

        public static Task ReturnsTask(int gate)
        {
            lock (Gates)
            {
                return Gates[gate].Task;
            }
        }

        public static async Task<int> ReturnsTaskOfT(int half)
        {
            await Task.Yield();
            return half * 2;
        }

        public static Task<string> ReturnsCompletedTaskOfT(string value) => Task.FromResult(value);

        public static async ValueTask<string> ReturnsValueTaskOfT(string text)
        {
            await Task.Yield();
            return text + text;
        }

        public static async ValueTask ReturnsValueTask() => await Task.Yield();

        public static object ReturnsObject() => 5;

        public static int ThrowsSync() => throw new InvalidOperationException("sync boom");

        public static Task<int> ThrowsBeforeTask() => throw new ArgumentException("early boom");

        public static async Task<int> ThrowsAsync()
        {
            await Task.Yield();
            throw new FormatException("async boom");
        }

        public static void ThrowsRpc() => throw new RpcException(-32050, "Computer says no.");

        public static async Task WaitForCancel(CancellationToken cancellationToken) =>
            await Task.Delay(Timeout.Infinite, cancellationToken);
    }
}
