using System.Text;
using ActorRpc.Actors.Protocol;

namespace ActorRpc.Tests.Protocol;

/// <summary>
/// Issue 14: the client's responses to calls from the server. An object with a result or an error
/// and no method is a response (never an invalid request), alone or in a batch; one with a method is
/// parsed as a request exactly as before.
/// </summary>
public sealed class JsonRpcParserResponsesSpec
{
    [Theory]
    [InlineData("""{"jsonrpc":"2.0","id":"s:1","result":5}""", "5")]
    [InlineData("""{"jsonrpc":"2.0","id":"s:1","result":null}""", "null")]
    [InlineData("""{"jsonrpc":"2.0","id":"s:1","result":"é\"x"}""", "\"é\\\"x\"")]
    [InlineData("""{"result":{"a":[1,{"b":2}]},"id":"s:1","jsonrpc":"2.0"}""", """{"a":[1,{"b":2}]}""")]
    public void Parse_Result_IsResponseWithRawResult(string payload, string rawResult)
    {
        var entry = ParseSingle(payload);

        Assert.True(entry.IsResponse);
        Assert.Equal(JsonRpcResponseKind.Result, entry.Response);
        Assert.Null(entry.Invalid);
        Assert.False(entry.IsNotification);
        Assert.Equal("\"s:1\"", Text(entry.Id));
        Assert.Equal(rawResult, Text(entry.Params));
    }

    [Fact]
    public void Parse_Error_IsResponseWithRawErrorObject()
    {
        var entry = ParseSingle("""{"jsonrpc":"2.0","id":"s:2","error":{"code":-32042,"message":"no","data":{"why":1}}}""");

        Assert.Equal(JsonRpcResponseKind.Error, entry.Response);
        Assert.Equal("""{"code":-32042,"message":"no","data":{"why":1}}""", Text(entry.Params));
    }

    [Theory]
    [InlineData("""{"jsonrpc":"2.0","id":"s:1","result":1,"error":{"code":1,"message":"x"}}""")] // both
    [InlineData("""{"jsonrpc":"2.0","id":"s:1","error":"boom"}""")] // an error that is no object
    [InlineData("""{"jsonrpc":"2.0","id":"s:1","error":[1]}""")]
    [InlineData("""{"id":"s:1","result":1}""")] // no version
    [InlineData("""{"jsonrpc":"1.0","id":"s:1","result":1}""")]
    public void Parse_MalformedResponse_IsAResponseNeverAnInvalidRequest(string payload)
    {
        var entry = ParseSingle(payload);

        Assert.True(entry.IsResponse);
        Assert.Equal(JsonRpcResponseKind.Malformed, entry.Response);
        Assert.Null(entry.Invalid); // Nothing to answer: invalid requests are answered, responses never.
    }

    [Fact]
    public void Parse_ResponseWithIdOfInvalidType_IsAResponseWithoutId()
    {
        var entry = ParseSingle("""{"jsonrpc":"2.0","id":{"a":1},"result":1}""");

        Assert.True(entry.IsResponse);
        Assert.True(entry.Id.IsEmpty);
    }

    [Fact]
    public void Parse_ObjectWithMethodAndResult_StaysARequestAsBefore()
    {
        var entry = ParseSingle("""{"jsonrpc":"2.0","method":"ping","id":1,"result":5}""");

        Assert.False(entry.IsResponse);
        Assert.Null(entry.Invalid);
        Assert.Equal("ping", entry.Method);
    }

    [Fact]
    public void Parse_ObjectWithNeitherMethodNorResult_StillAnInvalidRequest()
    {
        var entry = ParseSingle("""{"jsonrpc":"2.0","id":1}""");

        Assert.False(entry.IsResponse);
        Assert.NotNull(entry.Invalid);
    }

    [Fact]
    public void Parse_BatchMixingResponsesAndRequests_KeepsEachKindInOrder()
    {
        var message = JsonRpcParser.Parse(
            Encoding.UTF8.GetBytes("""[{"jsonrpc":"2.0","id":"s:1","result":true},{"jsonrpc":"2.0","method":"ping","id":1},{"jsonrpc":"2.0","id":"s:2","error":{"code":1,"message":"m"}}]"""),
            100,
            64);

        Assert.Equal(JsonRpcMessageKind.Batch, message.Kind);
        Assert.Equal([JsonRpcResponseKind.Result, JsonRpcResponseKind.None, JsonRpcResponseKind.Error], message.Batch!.Select(e => e.Response));
        Assert.Equal("ping", message.Batch![1].Method);
        Assert.Equal("true", Text(message.Batch[0].Params));
    }

    [Fact]
    public void Parse_OrdinaryRequest_AllocatesNothingButItsMethodName()
    {
        // Responses are recognised only among members no request has: a request costs what it did.
        var payload = Encoding.UTF8.GetBytes("""{"jsonrpc":"2.0","method":"sum","params":[1,2],"id":7}""");
        JsonRpcParser.Parse(payload, 100, 64);

        var before = GC.GetAllocatedBytesForCurrentThread();
        var message = JsonRpcParser.Parse(payload, 100, 64);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal("sum", message.Single.Method);
        Assert.True(allocated <= 32, $"Parsing one request allocated {allocated} bytes; only the method name's string (32) is expected.");
    }

    private static JsonRpcEntry ParseSingle(string payload)
    {
        var message = JsonRpcParser.Parse(Encoding.UTF8.GetBytes(payload), 100, 64);
        Assert.Equal(JsonRpcMessageKind.Single, message.Kind);
        return message.Single;
    }

    private static string Text(ReadOnlyMemory<byte> bytes) => Encoding.UTF8.GetString(bytes.Span);
}
