using System.Text;
using System.Text.Json;
using ActorRpc.Actors.Protocol;
using ActorRpc.Methods.Definition;

namespace ActorRpc.Tests.Protocol;

/// <summary>
/// Response frames (JSON-RPC 2.0 section 5) and the one funnel from exceptions to error objects.
/// </summary>
public sealed class JsonRpcResponseWriterSpec
{
    private static readonly JsonSerializerOptions Options = RpcMethodsOptions.CreateDefaultSerializerOptions();

    // ---- result frames --------------------------------------------------------------------------

    [Fact]
    public void Result_Frame_HasExactlyJsonRpcIdAndResult()
    {
        using var frame = Document(JsonRpcResponseWriter.Result(Id("1"), new RpcValue("pong", typeof(string)), Options));

        Assert.Equal(["jsonrpc", "id", "result"], Names(frame.RootElement));
        Assert.Equal("2.0", frame.RootElement.GetProperty("jsonrpc").GetString());
        Assert.Equal(1, frame.RootElement.GetProperty("id").GetInt32());
        Assert.Equal("pong", frame.RootElement.GetProperty("result").GetString());
    }

    [Theory]
    [InlineData("\"abc\"")]
    [InlineData("\"a\\\"b\"")]
    [InlineData("\"\\u00e9\\uD83D\\uDE00\"")]
    [InlineData("\"caf\u00e9\"")]
    [InlineData("9007199254740993")]
    [InlineData("-0")]
    [InlineData("1.5e3")]
    [InlineData("null")]
    public void Result_RawId_IsEchoedByteForByte(string rawId)
    {
        var frame = Text(JsonRpcResponseWriter.Result(Id(rawId), new RpcValue(1, typeof(int)), Options));

        Assert.Equal($$"""{"jsonrpc":"2.0","id":{{rawId}},"result":1}""", frame);
    }

    [Fact]
    public void Result_IdSlicedFromALargerPayload_EchoesOnlyTheSlice()
    {
        var payload = Encoding.UTF8.GetBytes("""xx"id-1"yy""");
        var frame = Text(JsonRpcResponseWriter.Result(payload.AsMemory(2, 6), new RpcValue(null, typeof(object)), Options));

        Assert.Equal("""{"jsonrpc":"2.0","id":"id-1","result":null}""", frame);
    }

    [Fact]
    public void Result_IntegerResults_StayIntegers()
    {
        Assert.Equal("5", ResultText(new RpcValue(5, typeof(int))));
        Assert.Equal("5", ResultText(new RpcValue(5L, typeof(long))));
        Assert.Equal("5", ResultText(new RpcValue(5, typeof(object))));
        Assert.Equal("9007199254740993", ResultText(new RpcValue(9007199254740993L, typeof(long))));
        Assert.Equal("-5", ResultText(new RpcValue((short)-5, typeof(short))));
        Assert.Equal("5", ResultText(new RpcValue(5m, typeof(decimal))));
    }

    [Fact]
    public void Result_NonIntegerNumbers_KeepTheirFraction()
    {
        Assert.Equal("1.5", ResultText(new RpcValue(1.5, typeof(double))));
        Assert.Equal("0.1", ResultText(new RpcValue(0.1m, typeof(decimal))));
    }

    [Fact]
    public void Result_NullValue_IsWrittenAsJsonNull()
    {
        Assert.Equal("null", ResultText(RpcValue.Null));
        Assert.Equal("null", ResultText(new RpcValue(null, typeof(string))));
    }

    [Fact]
    public void Result_NullValue_StillHasTheResultMember()
    {
        using var frame = Document(JsonRpcResponseWriter.Result(Id("1"), RpcValue.Null, Options));

        Assert.Equal(["jsonrpc", "id", "result"], Names(frame.RootElement));
        Assert.Equal(JsonValueKind.Null, frame.RootElement.GetProperty("result").ValueKind);
    }

    [Fact]
    public void Result_ObjectTypedValue_IsSerializedAsItsRuntimeType()
    {
        object value = new Point(1, 2);

        Assert.Equal("""{"x":1,"y":2}""", ResultText(new RpcValue(value, typeof(object))));
    }

    [Fact]
    public void Result_JsonElement_IsWrittenVerbatim()
    {
        using var document = JsonDocument.Parse("""{"a":[1,2.50,"x"]}""");

        Assert.Equal("""{"a":[1,2.50,"x"]}""", ResultText(new RpcValue(document.RootElement, typeof(JsonElement))));
    }

    [Fact]
    public void Result_StringNeedingEscapes_IsValidJsonThatRoundTrips()
    {
        const string tricky = "quote \" backslash \\ newline \n tab \t nul \0 é ☺ 😀 </script>";
        using var frame = Document(JsonRpcResponseWriter.Result(Id("1"), new RpcValue(tricky, typeof(string)), Options));

        Assert.Equal(tricky, frame.RootElement.GetProperty("result").GetString());
    }

    [Fact]
    public void Result_NonAsciiText_IsWrittenUnescaped()
    {
        Assert.Equal("\"café\"", ResultText(new RpcValue("café", typeof(string))));
    }

    // ---- error frames ---------------------------------------------------------------------------

    [Fact]
    public void Error_WithoutData_HasExactlyJsonRpcIdAndErrorWithCodeAndMessage()
    {
        using var frame = Document(JsonRpcResponseWriter.Error(Id("\"x\""), new RpcError(-32601, "Method not found"), Options));
        var root = frame.RootElement;

        Assert.Equal(["jsonrpc", "id", "error"], Names(root));
        Assert.Equal("2.0", root.GetProperty("jsonrpc").GetString());
        Assert.Equal("x", root.GetProperty("id").GetString());
        var error = root.GetProperty("error");
        Assert.Equal(["code", "message"], Names(error));
        Assert.Equal(-32601, error.GetProperty("code").GetInt32());
        Assert.Equal("Method not found", error.GetProperty("message").GetString());
    }

    [Fact]
    public void Error_WithData_HasCodeMessageAndData()
    {
        var error = new RpcError(-32050, "Computer says no.", new Point(3, 4));
        using var frame = Document(JsonRpcResponseWriter.Error(Id("7"), error, Options));
        var written = frame.RootElement.GetProperty("error");

        Assert.Equal(["jsonrpc", "id", "error"], Names(frame.RootElement));
        Assert.Equal(["code", "message", "data"], Names(written));
        Assert.Equal(-32050, written.GetProperty("code").GetInt32());
        Assert.Equal("Computer says no.", written.GetProperty("message").GetString());
        Assert.Equal("""{"x":3,"y":4}""", written.GetProperty("data").GetRawText());
    }

    [Fact]
    public void Error_StringData_IsWrittenAsAString()
    {
        using var frame = Document(JsonRpcResponseWriter.Error(Id("1"), RpcError.InvalidRequest("\"method\" is required"), Options));
        var error = frame.RootElement.GetProperty("error");

        Assert.Equal(-32600, error.GetProperty("code").GetInt32());
        Assert.Equal("Invalid Request", error.GetProperty("message").GetString());
        Assert.Equal("\"method\" is required", error.GetProperty("data").GetString());
    }

    [Theory]
    [InlineData("\"a\\\"b\"")]
    [InlineData("\"\\u00e9\"")]
    [InlineData("9007199254740993")]
    [InlineData("1.5e3")]
    [InlineData("null")]
    public void Error_RawId_IsEchoedByteForByte(string rawId)
    {
        var frame = Text(JsonRpcResponseWriter.Error(Id(rawId), RpcError.InternalError, Options));

        Assert.Equal($$$"""{"jsonrpc":"2.0","id":{{{rawId}}},"error":{"code":-32603,"message":"Internal error"}}""", frame);
    }

    [Fact]
    public void Error_MessageNeedingEscapes_IsValidJsonThatRoundTrips()
    {
        const string message = "bad \"thing\"\n\\ é";
        using var frame = Document(JsonRpcResponseWriter.Error(Id("1"), new RpcError(1, message), Options));

        Assert.Equal(message, frame.RootElement.GetProperty("error").GetProperty("message").GetString());
    }

    [Fact]
    public void Error_ProtocolErrors_UseTheSpecCodesAndMessages()
    {
        Assert.Equal((-32700, "Parse error"), (RpcError.ParseError.Code, RpcError.ParseError.Message));
        Assert.Equal((-32603, "Internal error"), (RpcError.InternalError.Code, RpcError.InternalError.Message));
        Assert.Equal((-32600, "Invalid Request"), (RpcError.InvalidRequest("x").Code, RpcError.InvalidRequest("x").Message));
        var notFound = RpcError.MethodNotFound("nope");
        Assert.Equal((-32601, "Method not found"), (notFound.Code, notFound.Message));

        using var frame = Document(JsonRpcResponseWriter.Error(Id("1"), notFound, Options));
        Assert.Equal("""{"method":"nope"}""", frame.RootElement.GetProperty("error").GetProperty("data").GetRawText());
    }

    // ---- batches --------------------------------------------------------------------------------

    [Fact]
    public void Batch_SeveralFrames_JoinsThemIntoAValidJsonArrayInOrder()
    {
        var first = JsonRpcResponseWriter.Result(Id("1"), new RpcValue(7, typeof(int)), Options);
        var second = JsonRpcResponseWriter.Error(Id("\"b\""), RpcError.MethodNotFound("m"), Options);
        var third = JsonRpcResponseWriter.Result(Id("null"), RpcValue.Null, Options);

        var batch = Batch(first, second, third);

        Assert.Equal($"[{Text(first)},{Text(second)},{Text(third)}]", Text(batch));
        using var document = Document(batch);
        Assert.Equal(JsonValueKind.Array, document.RootElement.ValueKind);
        Assert.Equal(3, document.RootElement.GetArrayLength());
        Assert.Equal(7, document.RootElement[0].GetProperty("result").GetInt32());
        Assert.Equal(-32601, document.RootElement[1].GetProperty("error").GetProperty("code").GetInt32());
    }

    [Fact]
    public void Batch_OneFrame_IsAnArrayOfOne()
    {
        var only = JsonRpcResponseWriter.Result(Id("1"), new RpcValue("x", typeof(string)), Options);

        var batch = Batch(only);

        Assert.Equal($"[{Text(only)}]", Text(batch));
        using var document = Document(batch);
        Assert.Equal(1, document.RootElement.GetArrayLength());
    }

    // The batch's array as BatchResponse builds it (in its pooled buffer), copied out.
    private static byte[] Batch(params byte[][] responses)
    {
        var batch = new ActorRpc.Actors.Sessions.BatchResponse(maxResponseSize: int.MaxValue, messageBytes: 0);
        foreach (var response in responses)
        {
            batch.AddImmediate(response);
        }

        Assert.True(batch.Seal());
        return batch.TakeFrame().ToArrayAndReturn();
    }

    // ---- the reused per-thread writer --------------------------------------------------------------

    [Fact]
    public void Result_AfterAResultThatFailedHalfWritten_NextFrameIsWhole()
    {
        // What CallOutcomes does when a result cannot be serialized: an error frame next, on the same thread.
        Assert.Throws<InvalidOperationException>(() => JsonRpcResponseWriter.Result(Id("1"), new RpcValue(new Unwritable(), typeof(Unwritable)), Options));

        var frame = JsonRpcResponseWriter.Error(Id("1"), RpcError.InternalError, Options);

        Assert.Equal("""{"jsonrpc":"2.0","id":1,"error":{"code":-32603,"message":"Internal error"}}""", Text(frame));
    }

    [Fact]
    public void Result_LargeThenSmall_SecondFrameHoldsNothingOfTheFirst()
    {
        var large = JsonRpcResponseWriter.Result(Id("1"), new RpcValue(new string('x', 100_000), typeof(string)), Options);
        var small = JsonRpcResponseWriter.Result(Id("2"), new RpcValue("y", typeof(string)), Options);

        Assert.Equal(100_000 + """{"jsonrpc":"2.0","id":1,"result":""}""".Length, large.Length);
        Assert.Equal("""{"jsonrpc":"2.0","id":2,"result":"y"}""", Text(small));
    }

    [Fact]
    public void Result_ConverterWritingAFrameOfItsOwn_BothFramesAreWhole()
    {
        var options = new JsonSerializerOptions(Options);
        options.Converters.Add(new NestedFrameConverter());

        var outer = JsonRpcResponseWriter.Result(Id("1"), new RpcValue(new Nested(), typeof(Nested)), options);

        Assert.Equal("""{"jsonrpc":"2.0","id":1,"result":{"jsonrpc":"2.0","id":2,"result":"inner"}}""", Text(outer));
    }

    // ---- RpcErrorMapper -------------------------------------------------------------------------

    [Fact]
    public void FromException_RpcException_KeepsCodeMessageAndData()
    {
        var data = new Point(1, 2);

        var error = RpcErrorMapper.FromException(new RpcException(-32050, "Computer says no.", data), detailedErrors: false, cancelledByCaller: false, out var unexpected);

        Assert.False(unexpected);
        Assert.Equal(-32050, error.Code);
        Assert.Equal("Computer says no.", error.Message);
        Assert.Same(data, error.Data);
    }

    [Fact]
    public void FromException_RpcExceptionWithDetailedErrors_IsUnchanged()
    {
        var error = RpcErrorMapper.FromException(new RpcException(42, "app error"), detailedErrors: true, cancelledByCaller: false, out var unexpected);

        Assert.False(unexpected);
        Assert.Equal(new RpcError(42, "app error"), error);
    }

    [Fact]
    public void FromException_InvalidParams_IsMinus32602WithItsMessage()
    {
        var error = RpcErrorMapper.FromException(new RpcInvalidParamsException("Invalid params: 'a' is missing."), detailedErrors: false, cancelledByCaller: false, out var unexpected);

        Assert.False(unexpected);
        Assert.Equal(-32602, error.Code);
        Assert.Equal("Invalid params: 'a' is missing.", error.Message);
        Assert.Null(error.Data);
    }

    [Fact]
    public void FromException_OperationCanceled_IsMinus32800AndExpected()
    {
        var error = RpcErrorMapper.FromException(new OperationCanceledException("secret"), detailedErrors: true, cancelledByCaller: true, out var unexpected);

        Assert.False(unexpected);
        Assert.Equal(-32800, error.Code);
        Assert.DoesNotContain("secret", error.Message, StringComparison.Ordinal);
        Assert.Null(error.Data);
    }

    [Fact]
    public void FromException_CancelledButNotByTheCaller_IsUnexpectedInternalError()
    {
        // A handler's own timeout (its HttpClient's, say) is not the client cancelling the request.
        var error = RpcErrorMapper.FromException(new TaskCanceledException(), detailedErrors: false, cancelledByCaller: false, out var unexpected);

        Assert.True(unexpected);
        Assert.Equal(-32603, error.Code);
    }

    [Fact]
    public void FromException_TaskCanceled_IsMinus32800()
    {
        var error = RpcErrorMapper.FromException(new TaskCanceledException(), detailedErrors: false, cancelledByCaller: true, out var unexpected);

        Assert.False(unexpected);
        Assert.Equal(-32800, error.Code);
    }

    [Fact]
    public void FromException_OtherException_IsRedactedInternalError()
    {
        var error = RpcErrorMapper.FromException(Thrown(new InvalidOperationException("password=hunter2")), detailedErrors: false, cancelledByCaller: false, out var unexpected);

        Assert.True(unexpected);
        Assert.Equal(-32603, error.Code);
        Assert.Equal("Internal error", error.Message);
        Assert.Null(error.Data);

        var frame = Text(JsonRpcResponseWriter.Error(Id("1"), error, Options));
        Assert.DoesNotContain("hunter2", frame, StringComparison.Ordinal);
        Assert.DoesNotContain("InvalidOperationException", frame, StringComparison.Ordinal);
    }

    [Fact]
    public void FromException_OtherExceptionWithDetailedErrors_AddsTypeAndMessageButNoStackTrace()
    {
        var exception = Thrown(new InvalidOperationException("it broke"));
        Assert.NotNull(exception.StackTrace);

        var error = RpcErrorMapper.FromException(exception, detailedErrors: true, cancelledByCaller: false, out var unexpected);

        Assert.True(unexpected);
        Assert.Equal(-32603, error.Code);
        Assert.Equal("Internal error", error.Message);
        using var frame = Document(JsonRpcResponseWriter.Error(Id("1"), error, Options));
        var data = frame.RootElement.GetProperty("error").GetProperty("data");
        Assert.Equal(["type", "message"], Names(data));
        Assert.Equal("System.InvalidOperationException", data.GetProperty("type").GetString());
        Assert.Equal("it broke", data.GetProperty("message").GetString());
        Assert.DoesNotContain(nameof(Thrown), frame.RootElement.GetRawText(), StringComparison.Ordinal);
    }

    [Fact]
    public void FromException_UnexpectedException_DoesNotChangeTheSharedInternalError()
    {
        _ = RpcErrorMapper.FromException(new InvalidOperationException("x"), detailedErrors: true, cancelledByCaller: false, out _);

        Assert.Null(RpcError.InternalError.Data);
        Assert.Equal("Internal error", RpcError.InternalError.Message);
    }

    // ---- helpers --------------------------------------------------------------------------------

    private static Exception Thrown(Exception exception)
    {
        try
        {
            throw exception;
        }
        catch (Exception caught)
        {
            return caught;
        }
    }

    private static string ResultText(RpcValue value)
    {
        using var frame = Document(JsonRpcResponseWriter.Result(Id("1"), value, Options));
        Assert.Equal(["jsonrpc", "id", "result"], Names(frame.RootElement));
        return frame.RootElement.GetProperty("result").GetRawText();
    }

    private static ReadOnlyMemory<byte> Id(string rawJson) => Encoding.UTF8.GetBytes(rawJson);

    private static JsonDocument Document(byte[] frame) => JsonDocument.Parse(frame);

    private static string[] Names(JsonElement element) => [.. element.EnumerateObject().Select(p => p.Name)];

    private static string Text(byte[] frame) => Encoding.UTF8.GetString(frame);

    private sealed record Point(int X, int Y);

    /// <summary>Its property throws while the serializer is halfway through the frame.</summary>
    private sealed class Unwritable
    {
        public int Value => throw new InvalidOperationException("not today");
    }

    private sealed class Nested;

    /// <summary>Writes a whole response frame while the outer one is being written, on the same thread.</summary>
    private sealed class NestedFrameConverter : System.Text.Json.Serialization.JsonConverter<Nested>
    {
        public override Nested Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => throw new NotSupportedException();

        public override void Write(Utf8JsonWriter writer, Nested value, JsonSerializerOptions options) =>
            writer.WriteRawValue(JsonRpcResponseWriter.Result(Id("2"), new RpcValue("inner", typeof(string)), Options));
    }
}
