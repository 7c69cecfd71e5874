using System.Text;
using ActorRpc.Actors.Protocol;

namespace ActorRpc.Tests.Protocol;

/// <summary>
/// The pure parser: what a payload is (single, batch, parse error, invalid batch) and, for every
/// request object, its raw id, method, raw params and whether it is valid (JSON-RPC 2.0 sections 4-7).
/// </summary>
public sealed class JsonRpcParserSpec
{
    private const int DefaultMaxBatch = 100;
    private const int DefaultMaxDepth = 64;

    // ---- valid requests and notifications -------------------------------------------------------

    [Fact]
    public void Parse_ValidRequest_ReturnsSingleWithMethodIdAndParams()
    {
        var entry = ParseSingle("""{"jsonrpc":"2.0","method":"sum","params":[1,2],"id":7}""");

        Assert.Null(entry.Invalid);
        Assert.Equal("sum", entry.Method);
        Assert.Equal("7", Text(entry.Id));
        Assert.Equal("[1,2]", Text(entry.Params));
        Assert.False(entry.IsNotification);
    }

    [Fact]
    public void Parse_ValidNotification_IsNotificationWithEmptyId()
    {
        var entry = ParseSingle("""{"jsonrpc":"2.0","method":"update","params":[1]}""");

        Assert.Null(entry.Invalid);
        Assert.Equal("update", entry.Method);
        Assert.True(entry.Id.IsEmpty);
        Assert.True(entry.IsNotification);
    }

    [Fact]
    public void Parse_RequestWithoutParams_HasEmptyParams()
    {
        var entry = ParseSingle("""{"jsonrpc":"2.0","method":"ping","id":1}""");

        Assert.Null(entry.Invalid);
        Assert.True(entry.Params.IsEmpty);
    }

    [Fact]
    public void Parse_MethodWithEscapes_ReturnsUnescapedName()
    {
        var entry = ParseSingle("""{"jsonrpc":"2.0","method":"a\u002Eb\"c","id":1}""");

        Assert.Equal("a.b\"c", entry.Method);
    }

    [Fact]
    public void Parse_MemberNamesWrittenWithEscapes_AreRecognised()
    {
        var entry = ParseSingle("""{"json\u0072pc":"2.0","m\u0065thod":"x","\u0069d":1}""");

        Assert.Null(entry.Invalid);
        Assert.Equal("x", entry.Method);
        Assert.Equal("1", Text(entry.Id));
    }

    [Fact]
    public void Parse_UnknownMembers_AreIgnored()
    {
        var entry = ParseSingle(
            """{"jsonrpc":"2.0","extra":{"nested":[1,{"id":99}]},"method":"m","other":"x","id":3,"tail":null}""");

        Assert.Null(entry.Invalid);
        Assert.Equal("m", entry.Method);
        Assert.Equal("3", Text(entry.Id));
        Assert.True(entry.Params.IsEmpty);
    }

    [Fact]
    public void Parse_MembersInAnyOrder_GiveTheSameEntry()
    {
        var forward = ParseSingle("""{"jsonrpc":"2.0","method":"m","params":{"a":1},"id":"x"}""");
        var backward = ParseSingle("""{"id":"x","params":{"a":1},"method":"m","jsonrpc":"2.0"}""");

        Assert.Null(backward.Invalid);
        Assert.Equal(forward.Method, backward.Method);
        Assert.Equal(Text(forward.Id), Text(backward.Id));
        Assert.Equal(Text(forward.Params), Text(backward.Params));
    }

    [Fact]
    public void Parse_SurroundingWhitespace_IsAccepted()
    {
        var entry = ParseSingle(" \r\n\t{\"jsonrpc\":\"2.0\",\"method\":\"m\",\"id\":1}\n ");

        Assert.Null(entry.Invalid);
        Assert.Equal("1", Text(entry.Id));
    }

    // ---- ids ------------------------------------------------------------------------------------

    [Theory]
    [InlineData("\"abc\"")]
    [InlineData("\"\"")]
    [InlineData("\"a\\\"b\"")]
    [InlineData("\"\\u00e9\\uD83D\\uDE00\"")]
    [InlineData("\"caf\u00e9 \u263A\"")]
    [InlineData("\"\\\\ \\/ \\b\\f\\n\\r\\t\"")]
    [InlineData("9007199254740993")]
    [InlineData("-0")]
    [InlineData("1.5e3")]
    [InlineData("1.50")]
    [InlineData("-12E-2")]
    [InlineData("0")]
    public void Parse_Id_IsKeptByteForByte(string rawId)
    {
        var entry = ParseSingle($$"""{"jsonrpc":"2.0","method":"m","id":{{rawId}}}""");

        Assert.Null(entry.Invalid);
        Assert.Equal(Encoding.UTF8.GetBytes(rawId), entry.Id.ToArray());
    }

    [Fact]
    public void Parse_IdWithWhitespaceAroundIt_SlicesOnlyTheValue()
    {
        var entry = ParseSingle("""{"jsonrpc":"2.0","method":"m","id" :   "a b"   }""");

        Assert.Equal("\"a b\"", Text(entry.Id));
    }

    [Fact]
    public void Parse_NullId_IsARequestNotANotification()
    {
        var entry = ParseSingle("""{"jsonrpc":"2.0","method":"m","id":null}""");

        Assert.Null(entry.Invalid);
        Assert.Equal("null", Text(entry.Id));
        Assert.False(entry.IsNotification);
    }

    [Fact]
    public void Parse_AbsentId_IdIsEmpty()
    {
        var entry = ParseSingle("""{"jsonrpc":"2.0","method":"m"}""");

        Assert.True(entry.IsNotification);
        Assert.True(entry.Id.IsEmpty, "no usable id: answered with id null");
    }

    [Theory]
    [InlineData("{}")]
    [InlineData("{\"a\":1}")]
    [InlineData("[]")]
    [InlineData("[1]")]
    [InlineData("true")]
    [InlineData("false")]
    public void Parse_IdOfInvalidType_IsInvalidWithEmptyId(string rawId)
    {
        var entry = ParseSingle($$"""{"jsonrpc":"2.0","method":"m","id":{{rawId}}}""");

        Assert.NotNull(entry.Invalid);
        Assert.Contains("id", entry.Invalid, StringComparison.Ordinal);
        Assert.True(entry.Id.IsEmpty);
        Assert.False(entry.IsNotification);
        Assert.True(entry.Id.IsEmpty, "no usable id: answered with id null");
    }

    [Fact]
    public void Parse_InvalidRequestWithValidId_KeepsTheId()
    {
        // Section 5: the id is echoed whenever it could be read, even for an invalid request.
        var entry = ParseSingle("""{"jsonrpc":"1.0","method":"m","id":"keep"}""");

        Assert.NotNull(entry.Invalid);
        Assert.Equal("\"keep\"", Text(entry.Id));
        Assert.False(entry.IsNotification);
    }

    [Fact]
    public void Parse_InvalidRequestWithoutId_IsNotANotification()
    {
        // Section 7: an invalid request gets an error with id null even though it had no id.
        var entry = ParseSingle("""{"jsonrpc":"2.0","method":1}""");

        Assert.NotNull(entry.Invalid);
        Assert.True(entry.Id.IsEmpty);
        Assert.False(entry.IsNotification);
        Assert.True(entry.Id.IsEmpty, "no usable id: answered with id null");
    }

    // ---- jsonrpc, method, params ----------------------------------------------------------------

    [Theory]
    [InlineData("""{"method":"m","id":1}""")]
    [InlineData("""{"jsonrpc":"1.0","method":"m","id":1}""")]
    [InlineData("""{"jsonrpc":"2.0 ","method":"m","id":1}""")]
    [InlineData("""{"jsonrpc":"2","method":"m","id":1}""")]
    [InlineData("""{"jsonrpc":2.0,"method":"m","id":1}""")]
    [InlineData("""{"jsonrpc":2,"method":"m","id":1}""")]
    [InlineData("""{"jsonrpc":null,"method":"m","id":1}""")]
    [InlineData("""{"jsonrpc":["2.0"],"method":"m","id":1}""")]
    public void Parse_JsonRpcMemberMissingOrNotExactly20_IsInvalid(string payload)
    {
        var entry = ParseSingle(payload);

        Assert.NotNull(entry.Invalid);
        Assert.Contains("jsonrpc", entry.Invalid, StringComparison.Ordinal);
        Assert.Null(entry.Method);
        Assert.Equal("1", Text(entry.Id));
    }

    [Theory]
    [InlineData("1")]
    [InlineData("null")]
    [InlineData("true")]
    [InlineData("[\"m\"]")]
    [InlineData("{\"name\":\"m\"}")]
    public void Parse_MethodNotAString_IsInvalid(string rawMethod)
    {
        var entry = ParseSingle($$"""{"jsonrpc":"2.0","method":{{rawMethod}},"id":1}""");

        Assert.NotNull(entry.Invalid);
        Assert.Contains("method", entry.Invalid, StringComparison.Ordinal);
        Assert.Null(entry.Method);
        Assert.Equal("1", Text(entry.Id));
    }

    [Fact]
    public void Parse_MethodMissing_IsInvalid()
    {
        var entry = ParseSingle("""{"jsonrpc":"2.0","params":[1],"id":1}""");

        Assert.NotNull(entry.Invalid);
        Assert.Contains("method", entry.Invalid, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_EmptyObject_IsInvalid()
    {
        var entry = ParseSingle("{}");

        Assert.NotNull(entry.Invalid);
        Assert.True(entry.Id.IsEmpty);
        Assert.False(entry.IsNotification);
    }

    [Theory]
    [InlineData("null")]
    [InlineData("1")]
    [InlineData("\"bar\"")]
    [InlineData("true")]
    public void Parse_ParamsNotArrayOrObject_IsInvalid(string rawParams)
    {
        var entry = ParseSingle($$"""{"jsonrpc":"2.0","method":"m","params":{{rawParams}},"id":1}""");

        Assert.NotNull(entry.Invalid);
        Assert.Contains("params", entry.Invalid, StringComparison.Ordinal);
        Assert.True(entry.Params.IsEmpty);
        Assert.Equal("1", Text(entry.Id));
    }

    [Theory]
    [InlineData("[]")]
    [InlineData("{}")]
    [InlineData("[1, \"two\" ,{\"three\":[3]} , null]")]
    [InlineData("{ \"a\" : [1,2] , \"b\":{\"c\":\"}\"} }")]
    [InlineData("[\"]\\\"\", \"\\u005D\"]")]
    [InlineData("[9007199254740993, -0, 1.5e3]")]
    public void Parse_ParamsArrayOrObject_IsTheExactRawSlice(string rawParams)
    {
        var entry = ParseSingle($$"""{"jsonrpc":"2.0","params":{{rawParams}},"method":"m","id":1}""");

        Assert.Null(entry.Invalid);
        Assert.Equal(Encoding.UTF8.GetBytes(rawParams), entry.Params.ToArray());
    }

    // ---- parse errors ---------------------------------------------------------------------------

    [Theory]
    [InlineData("")]
    [InlineData(" ")]
    [InlineData(" \r\n\t ")]
    [InlineData("{")]
    [InlineData("""{"jsonrpc":"2.0","method":"m","id":1""")]
    [InlineData("""{"jsonrpc":"2.0","method":"m","id":1}}""")]
    [InlineData("""{"jsonrpc":"2.0","method":"m","id":1}{}""")]
    [InlineData("{}{}")]
    [InlineData("{} {}")]
    [InlineData("[]]")]
    [InlineData("1 2")]
    [InlineData("{\"jsonrpc\":\"2.0\",\"method\":\"m\"} x")]
    [InlineData("""{"jsonrpc":"2.0","method":"m",}""")]
    [InlineData("""{"jsonrpc":"2.0","method":"m","params":[1,2,]}""")]
    [InlineData("""[{"jsonrpc":"2.0","method":"m"},]""")]
    [InlineData("""{"jsonrpc":"2.0", /* comment */ "method":"m"}""")]
    [InlineData("{\"jsonrpc\":\"2.0\",\"method\":\"m\"} // trailing comment")]
    [InlineData("""{'jsonrpc':'2.0','method':'m'}""")]
    [InlineData("""{jsonrpc:"2.0",method:"m"}""")]
    [InlineData("""{"jsonrpc":"2.0","method":"m","id":01}""")]
    [InlineData("""{"jsonrpc":"2.0","method":"m","id":NaN}""")]
    [InlineData("""{"jsonrpc":"2.0","method":"m\x"}""")]
    [InlineData("{\"jsonrpc\":\"2.0\",\"method\":\"a\nb\"}")]
    [InlineData("nul")]
    public void Parse_MalformedJson_ReturnsParseError(string payload)
    {
        var message = Parse(payload);

        Assert.Equal(JsonRpcMessageKind.ParseError, message.Kind);
        Assert.False(string.IsNullOrEmpty(message.Error));
        Assert.Null(message.Batch);
    }

    [Fact]
    public void Parse_InvalidJsonInsideBatch_ReturnsParseErrorForTheWholeBatch()
    {
        var message = Parse("""[{"jsonrpc":"2.0","method":"a","id":1},{"jsonrpc":"2.0","method":"b","id":}]""");

        Assert.Equal(JsonRpcMessageKind.ParseError, message.Kind);
        Assert.Null(message.Batch);
    }

    [Fact]
    public void Parse_InvalidUtf8InMethodName_ReturnsParseErrorWithoutThrowing()
    {
        // RFC 8259 section 8.1: JSON text is UTF-8. 0xFF can never appear in UTF-8.
        byte[] payload = [.. "{\"jsonrpc\":\"2.0\",\"method\":\""u8, 0xFF, 0xFE, .. "\",\"id\":1}"u8];

        var message = JsonRpcParser.Parse(payload, DefaultMaxBatch, DefaultMaxDepth);

        Assert.Equal(JsonRpcMessageKind.ParseError, message.Kind);
    }

    [Fact]
    public void Parse_InvalidUtf8InId_ReturnsParseError()
    {
        // The id is echoed raw, so accepting it would put invalid UTF-8 into the response frame.
        byte[] payload = [.. "{\"jsonrpc\":\"2.0\",\"method\":\"m\",\"id\":\""u8, 0xC3, 0x28, .. "\"}"u8];

        var message = JsonRpcParser.Parse(payload, DefaultMaxBatch, DefaultMaxDepth);

        Assert.Equal(JsonRpcMessageKind.ParseError, message.Kind);
    }

    [Fact]
    public void Parse_LoneSurrogateEscapeInMethodName_DoesNotThrowAndIsNotCallable()
    {
        // "\uD800" is grammatical JSON but not a Unicode string, so it cannot name a method.
        var message = Parse("""{"jsonrpc":"2.0","method":"\uD800","id":1}""");

        Assert.True(
            message.Kind == JsonRpcMessageKind.ParseError
            || (message.Kind == JsonRpcMessageKind.Single && message.Single.Invalid is not null),
            $"Expected a parse error or an invalid request, got {message.Kind} / {message.Single.Invalid}");
    }

    [Fact]
    public void Parse_DepthAtTheLimit_IsAccepted()
    {
        // Object (1), params array (2), inner array (3).
        var message = Parse("""{"jsonrpc":"2.0","method":"m","params":[[1]],"id":1}""", maxDepth: 3);

        Assert.Equal(JsonRpcMessageKind.Single, message.Kind);
        Assert.Null(message.Single.Invalid);
        Assert.Equal("[[1]]", Text(message.Single.Params));
    }

    [Fact]
    public void Parse_DepthOverTheLimit_ReturnsParseError()
    {
        var message = Parse("""{"jsonrpc":"2.0","method":"m","params":[[[1]]],"id":1}""", maxDepth: 3);

        Assert.Equal(JsonRpcMessageKind.ParseError, message.Kind);
    }

    [Fact]
    public void Parse_DepthOverTheLimitInsideAnUnknownMember_ReturnsParseError()
    {
        var message = Parse("""{"jsonrpc":"2.0","method":"m","junk":{"a":{"b":{}}},"id":1}""", maxDepth: 3);

        Assert.Equal(JsonRpcMessageKind.ParseError, message.Kind);
    }

    [Fact]
    public void Parse_DepthOverTheLimitInsideABatch_ReturnsParseError()
    {
        // The batch array itself counts as a level: array (1), object (2), params (3), inner (4).
        var message = Parse("""[{"jsonrpc":"2.0","method":"m","params":[[1]],"id":1}]""", maxDepth: 3);

        Assert.Equal(JsonRpcMessageKind.ParseError, message.Kind);
    }

    // ---- top-level shapes -----------------------------------------------------------------------

    [Theory]
    [InlineData("1")]
    [InlineData("\"request\"")]
    [InlineData("null")]
    [InlineData("true")]
    [InlineData("  42  ")]
    public void Parse_TopLevelScalar_ReturnsSingleInvalidRequest(string payload)
    {
        var message = Parse(payload);

        Assert.Equal(JsonRpcMessageKind.Single, message.Kind);
        Assert.NotNull(message.Single.Invalid);
        Assert.True(message.Single.Id.IsEmpty);
        Assert.False(message.Single.IsNotification);
    }

    [Theory]
    [InlineData("[]")]
    [InlineData("[ \n ]")]
    public void Parse_EmptyBatch_ReturnsInvalidBatch(string payload)
    {
        var message = Parse(payload);

        Assert.Equal(JsonRpcMessageKind.InvalidBatch, message.Kind);
        Assert.Null(message.Batch);
        Assert.False(string.IsNullOrEmpty(message.Error));
    }

    [Theory]
    [InlineData("[1]", 1)]
    [InlineData("[1,2,3]", 3)]
    [InlineData("[null, \"x\", true, []]", 4)]
    [InlineData("[[{\"jsonrpc\":\"2.0\",\"method\":\"m\",\"id\":1}]]", 1)]
    public void Parse_BatchOfNonObjects_ReturnsOneInvalidEntryPerElement(string payload, int count)
    {
        var message = Parse(payload);

        Assert.Equal(JsonRpcMessageKind.Batch, message.Kind);
        var batch = message.Batch!;
        Assert.Equal(count, batch.Length);
        Assert.All(batch, entry =>
        {
            Assert.NotNull(entry.Invalid);
            Assert.True(entry.Id.IsEmpty);
            Assert.False(entry.IsNotification);
        });
    }

    [Fact]
    public void Parse_Batch_KeepsOrderAndSlicesIdsAndParamsFromTheWholePayload()
    {
        var message = Parse(
            """[{"jsonrpc":"2.0","method":"a","params":[1],"id":"x"}, 5, {"jsonrpc":"2.0","method":"b","params":{"k":"v"},"id":2.50}]""");

        Assert.Equal(JsonRpcMessageKind.Batch, message.Kind);
        var batch = message.Batch!;
        Assert.Equal(3, batch.Length);
        Assert.Equal("a", batch[0].Method);
        Assert.Equal("\"x\"", Text(batch[0].Id));
        Assert.Equal("[1]", Text(batch[0].Params));
        Assert.NotNull(batch[1].Invalid);
        Assert.Equal("b", batch[2].Method);
        Assert.Equal("2.50", Text(batch[2].Id));
        Assert.Equal("{\"k\":\"v\"}", Text(batch[2].Params));
    }

    [Fact]
    public void Parse_BatchOfOne_IsABatchNotASingle()
    {
        var message = Parse("""[{"jsonrpc":"2.0","method":"a","id":1}]""");

        Assert.Equal(JsonRpcMessageKind.Batch, message.Kind);
        Assert.Single(message.Batch!);
    }

    [Fact]
    public void Parse_BatchExactlyAtTheLimit_IsAccepted()
    {
        var message = Parse(Batch(3), maxBatchSize: 3);

        Assert.Equal(JsonRpcMessageKind.Batch, message.Kind);
        Assert.Equal(3, message.Batch!.Length);
    }

    [Fact]
    public void Parse_BatchOverTheLimit_ReturnsInvalidBatchNamingTheSetting()
    {
        var message = Parse(Batch(4), maxBatchSize: 3);

        Assert.Equal(JsonRpcMessageKind.InvalidBatch, message.Kind);
        Assert.Null(message.Batch);
        Assert.Contains("MaxBatchSize", message.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_BatchOverTheLimitOfNonObjects_ReturnsInvalidBatch()
    {
        var message = Parse("[1,2,3,4]", maxBatchSize: 3);

        Assert.Equal(JsonRpcMessageKind.InvalidBatch, message.Kind);
    }

    [Fact]
    public void Parse_MalformedJsonAfterTheBatchLimit_IsStillAParseError()
    {
        var payload = Batch(3)[..^1] + """,{"jsonrpc":"2.0","method":"late","id":}]""";

        var message = Parse(payload, maxBatchSize: 3);

        Assert.Equal(JsonRpcMessageKind.ParseError, message.Kind);
    }

    [Fact]
    public void Parse_TruncatedBatchAfterTheLimit_IsStillAParseError()
    {
        var payload = Batch(3)[..^1] + """,{"jsonrpc":"2.0","method":"late","id":4}""";

        var message = Parse(payload, maxBatchSize: 3);

        Assert.Equal(JsonRpcMessageKind.ParseError, message.Kind);
    }

    [Fact]
    public void Parse_TrailingGarbageAfterAnOverlongBatch_IsStillAParseError()
    {
        var message = Parse(Batch(4) + "x", maxBatchSize: 3);

        Assert.Equal(JsonRpcMessageKind.ParseError, message.Kind);
    }

    // ---- section 7 of the JSON-RPC 2.0 specification, at the parser level -----------------------

    [Fact]
    public void Parse_Spec7PositionalParameters_AreRequestsWithRawArrays()
    {
        var first = ParseSingle("""{"jsonrpc": "2.0", "method": "subtract", "params": [42, 23], "id": 1}""");
        var second = ParseSingle("""{"jsonrpc": "2.0", "method": "subtract", "params": [23, 42], "id": 2}""");

        AssertCall(first, "subtract", "1", "[42, 23]");
        AssertCall(second, "subtract", "2", "[23, 42]");
    }

    [Fact]
    public void Parse_Spec7NamedParameters_AreRequestsWithRawObjects()
    {
        var first = ParseSingle("""{"jsonrpc": "2.0", "method": "subtract", "params": {"subtrahend": 23, "minuend": 42}, "id": 3}""");
        var second = ParseSingle("""{"jsonrpc": "2.0", "method": "subtract", "params": {"minuend": 42, "subtrahend": 23}, "id": 4}""");

        AssertCall(first, "subtract", "3", """{"subtrahend": 23, "minuend": 42}""");
        AssertCall(second, "subtract", "4", """{"minuend": 42, "subtrahend": 23}""");
    }

    [Fact]
    public void Parse_Spec7Notifications_AreNotifications()
    {
        var update = ParseSingle("""{"jsonrpc": "2.0", "method": "update", "params": [1,2,3,4,5]}""");
        var foobar = ParseSingle("""{"jsonrpc": "2.0", "method": "foobar"}""");

        Assert.True(update.IsNotification);
        Assert.Equal("update", update.Method);
        Assert.Equal("[1,2,3,4,5]", Text(update.Params));
        Assert.True(foobar.IsNotification);
        Assert.Equal("foobar", foobar.Method);
        Assert.True(foobar.Params.IsEmpty);
    }

    [Fact]
    public void Parse_Spec7NonExistentMethod_IsAValidRequestForTheRouterToReject()
    {
        var entry = ParseSingle("""{"jsonrpc": "2.0", "method": "foobar", "id": "1"}""");

        AssertCall(entry, "foobar", "\"1\"", null);
    }

    [Fact]
    public void Parse_Spec7InvalidJson_ReturnsParseError()
    {
        var message = Parse("""{"jsonrpc": "2.0", "method": "foobar, "params": "bar", "baz]""");

        Assert.Equal(JsonRpcMessageKind.ParseError, message.Kind);
    }

    [Fact]
    public void Parse_Spec7InvalidRequestObject_IsInvalidWithoutId()
    {
        var entry = ParseSingle("""{"jsonrpc": "2.0", "method": 1, "params": "bar"}""");

        Assert.NotNull(entry.Invalid);
        Assert.False(entry.IsNotification);
        Assert.True(entry.Id.IsEmpty, "no usable id: answered with id null");
    }

    [Fact]
    public void Parse_Spec7BatchWithInvalidJson_ReturnsParseError()
    {
        var message = Parse("""
            [
              {"jsonrpc": "2.0", "method": "sum", "params": [1,2,4], "id": "1"},
              {"jsonrpc": "2.0", "method"
            ]
            """);

        Assert.Equal(JsonRpcMessageKind.ParseError, message.Kind);
    }

    [Fact]
    public void Parse_Spec7EmptyArray_ReturnsInvalidBatch()
    {
        Assert.Equal(JsonRpcMessageKind.InvalidBatch, Parse("[]").Kind);
    }

    [Fact]
    public void Parse_Spec7InvalidBatchButNotEmpty_ReturnsOneInvalidEntry()
    {
        var message = Parse("[1]");

        Assert.Equal(JsonRpcMessageKind.Batch, message.Kind);
        var entry = Assert.Single(message.Batch!);
        Assert.NotNull(entry.Invalid);
        Assert.True(entry.Id.IsEmpty, "no usable id: answered with id null");
    }

    [Fact]
    public void Parse_Spec7InvalidBatch_ReturnsThreeInvalidEntries()
    {
        var message = Parse("[1,2,3]");

        Assert.Equal(JsonRpcMessageKind.Batch, message.Kind);
        Assert.Equal(3, message.Batch!.Length);
        Assert.All(message.Batch, entry => Assert.NotNull(entry.Invalid));
    }

    [Fact]
    public void Parse_Spec7MixedBatch_ClassifiesEveryEntry()
    {
        var message = Parse("""
            [
                {"jsonrpc": "2.0", "method": "sum", "params": [1,2,4], "id": "1"},
                {"jsonrpc": "2.0", "method": "notify_hello", "params": [7]},
                {"jsonrpc": "2.0", "method": "subtract", "params": [42,23], "id": "2"},
                {"foo": "boo"},
                {"jsonrpc": "2.0", "method": "foo.get", "params": {"name": "myself"}, "id": "5"},
                {"jsonrpc": "2.0", "method": "get_data", "id": "9"}
            ]
            """);

        Assert.Equal(JsonRpcMessageKind.Batch, message.Kind);
        var batch = message.Batch!;
        Assert.Equal(6, batch.Length);
        AssertCall(batch[0], "sum", "\"1\"", "[1,2,4]");
        Assert.True(batch[1].IsNotification);
        Assert.Equal("notify_hello", batch[1].Method);
        Assert.Equal("[7]", Text(batch[1].Params));
        AssertCall(batch[2], "subtract", "\"2\"", "[42,23]");
        Assert.NotNull(batch[3].Invalid);
        Assert.False(batch[3].IsNotification);
        Assert.True(batch[3].Id.IsEmpty, "no usable id: answered with id null");
        AssertCall(batch[4], "foo.get", "\"5\"", """{"name": "myself"}""");
        AssertCall(batch[5], "get_data", "\"9\"", null);
    }

    [Fact]
    public void Parse_Spec7BatchOfNotifications_IsAllNotifications()
    {
        var message = Parse("""
            [
                {"jsonrpc": "2.0", "method": "notify_sum", "params": [1,2,4]},
                {"jsonrpc": "2.0", "method": "notify_hello", "params": [7]}
            ]
            """);

        Assert.Equal(JsonRpcMessageKind.Batch, message.Kind);
        Assert.Equal(2, message.Batch!.Length);
        Assert.All(message.Batch, entry => Assert.True(entry.IsNotification));
        Assert.Equal("notify_sum", message.Batch[0].Method);
        Assert.Equal("notify_hello", message.Batch[1].Method);
    }

    // ---- helpers --------------------------------------------------------------------------------

    private static JsonRpcMessage Parse(string payload, int maxBatchSize = DefaultMaxBatch, int maxDepth = DefaultMaxDepth) =>
        JsonRpcParser.Parse(Encoding.UTF8.GetBytes(payload), maxBatchSize, maxDepth);

    private static JsonRpcEntry ParseSingle(string payload)
    {
        var message = Parse(payload);
        Assert.True(message.Kind == JsonRpcMessageKind.Single, $"Expected a single request, got {message.Kind}: {message.Error}");
        Assert.Null(message.Batch);
        return message.Single;
    }

    private static void AssertCall(JsonRpcEntry entry, string method, string rawId, string? rawParams)
    {
        Assert.Null(entry.Invalid);
        Assert.Equal(method, entry.Method);
        Assert.Equal(rawId, Text(entry.Id));
        Assert.False(entry.IsNotification);
        if (rawParams is null)
        {
            Assert.True(entry.Params.IsEmpty);
        }
        else
        {
            Assert.Equal(rawParams, Text(entry.Params));
        }
    }

    private static string Batch(int count) =>
        "[" + string.Join(",", Enumerable.Range(1, count).Select(i => $$"""{"jsonrpc":"2.0","method":"m","id":{{i}}}""")) + "]";

    private static string Text(ReadOnlyMemory<byte> bytes) => Encoding.UTF8.GetString(bytes.Span);
}
