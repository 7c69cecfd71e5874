using System.Text;
using ActorRpc.Actors.Protocol;

namespace ActorRpc.Tests.Protocol;

/// <summary>
/// The parser under each compatibility profile: strict JSON-RPC 2.0 refuses a scalar params; the
/// aiohttp-json-rpc profile lets it through as sent (binding then reads it as one positional
/// argument) and reads a null params as none.
/// </summary>
public sealed class CompatibilityParsingSpec
{
    [Theory]
    [InlineData("\"news\"")]
    [InlineData("42")]
    [InlineData("true")]
    [InlineData("null")]
    public void Strict_ScalarOrNullParams_InvalidRequest(string parameters)
    {
        var entry = Parse($$"""{"jsonrpc":"2.0","method":"m","params":{{parameters}},"id":1}""", RpcCompatibility.None);
        Assert.Equal("\"params\" must be an array or an object", entry.Invalid);
    }

    [Theory]
    [InlineData("\"news\"")]
    [InlineData("\"a\\\"b\\u00e9\"")]
    [InlineData("-1.5e3")]
    [InlineData("true")]
    [InlineData("false")]
    public void Aiohttp_ScalarParams_KeptAsSent(string parameters)
    {
        var entry = Parse($$"""{"jsonrpc":"2.0","method":"m","params":{{parameters}},"id":1}""", RpcCompatibility.AiohttpJsonRpc);
        Assert.Null(entry.Invalid);
        Assert.Equal(parameters, Encoding.UTF8.GetString(entry.Params.Span));
    }

    [Fact]
    public void Aiohttp_NullParams_NoParams()
    {
        var entry = Parse("""{"jsonrpc":"2.0","method":"m","params":null,"id":1}""", RpcCompatibility.AiohttpJsonRpc);
        Assert.Null(entry.Invalid);
        Assert.True(entry.Params.IsEmpty);
    }

    [Fact]
    public void Aiohttp_StructuredParams_Unchanged()
    {
        var entry = Parse("""{"jsonrpc":"2.0","method":"m","params":{"a":[1]},"id":1}""", RpcCompatibility.AiohttpJsonRpc);
        Assert.Equal("""{"a":[1]}""", Encoding.UTF8.GetString(entry.Params.Span));
    }

    [Fact]
    public void Aiohttp_ScalarParamsInABatch_EachEntryKept()
    {
        var message = JsonRpcParser.Parse(
            Encoding.UTF8.GetBytes("""[{"jsonrpc":"2.0","method":"a","params":"x","id":1},{"jsonrpc":"2.0","method":"b","params":2,"id":2}]"""),
            100,
            64,
            RpcCompatibility.AiohttpJsonRpc);
        Assert.Equal(JsonRpcMessageKind.Batch, message.Kind);
        Assert.Equal("\"x\"", Encoding.UTF8.GetString(message.Batch![0].Params.Span));
        Assert.Equal("2", Encoding.UTF8.GetString(message.Batch[1].Params.Span));
    }

    private static JsonRpcEntry Parse(string payload, RpcCompatibility compatibility)
    {
        var message = JsonRpcParser.Parse(Encoding.UTF8.GetBytes(payload), 100, 64, compatibility);
        Assert.Equal(JsonRpcMessageKind.Single, message.Kind);
        return message.Single;
    }
}
