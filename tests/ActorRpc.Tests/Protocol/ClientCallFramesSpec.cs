using System.Text;
using ActorRpc.Actors.ClientCalls;
using ActorRpc.Actors.Protocol;
using ActorRpc.Tests.Infrastructure;

namespace ActorRpc.Tests.Protocol;

/// <summary>Issue 14: the frames of calls from the server to a client, and the ids they carry.</summary>
public sealed class ClientCallFramesSpec
{
    [Fact]
    public void Request_WithParams_CarriesServerIdMethodAndParams()
    {
        JsonAssert.Equivalent(
            """{"jsonrpc":"2.0","id":"s:12","method":"ui.confirm","params":["sure?"]}""",
            Encoding.UTF8.GetString(ClientCallFrames.Request(12, "ui.confirm", "[\"sure?\"]"u8)));
    }

    [Fact]
    public void NotificationAndRequest_WithoutParams_LeaveParamsOut()
    {
        JsonAssert.Equivalent("""{"jsonrpc":"2.0","method":"tick"}""", Encoding.UTF8.GetString(ClientCallFrames.Notification("tick", default)));
        JsonAssert.Equivalent("""{"jsonrpc":"2.0","id":"s:1","method":"now"}""", Encoding.UTF8.GetString(ClientCallFrames.Request(1, "now", default)));
    }

    [Fact]
    public void Cancel_IsCancelRequestOfTheServerId()
    {
        JsonAssert.Equivalent("""{"jsonrpc":"2.0","method":"$/cancelRequest","params":{"id":"s:3"}}""", Encoding.UTF8.GetString(ClientCallFrames.Cancel(3)));
    }

    [Theory]
    [InlineData("\"s:1\"", 1L)]
    [InlineData("\"s:9223372036854775807\"", long.MaxValue)]
    public void TryParseId_ServerId_Parsed(string rawId, long expected)
    {
        Assert.True(ClientCallFrames.TryParseId(Encoding.UTF8.GetBytes(rawId), out var id));
        Assert.Equal(expected, id);
    }

    [Theory]
    [InlineData("1")]
    [InlineData("\"1\"")]
    [InlineData("\"s:\"")]
    [InlineData("\"s:0\"")]
    [InlineData("\"s:01\"")]
    [InlineData("\"s:+1\"")]
    [InlineData("\"s:-1\"")]
    [InlineData("\"s:1x\"")]
    [InlineData("\"s:99999999999999999999\"")]
    [InlineData("\"s\\u003a1\"")]
    [InlineData("")]
    public void TryParseId_AnythingElse_False(string rawId)
    {
        Assert.False(ClientCallFrames.TryParseId(Encoding.UTF8.GetBytes(rawId), out _));
    }

    [Fact]
    public void SessionIds_NewId_NamesTheNode()
    {
        var ids = new SessionIds();
        ids.NodeStarted(-5);
        var id = ids.NewId();

        Assert.Equal(41, id.Length);
        Assert.True(SessionIds.TryParseNode(id, out var uid));
        Assert.Equal(-5, uid);
        Assert.NotEqual(id, ids.NewId());
    }

    [Theory]
    [InlineData("")]
    [InlineData("s1")]
    [InlineData("0000000g-0123456789abcdef0123456789abcdef")]
    [InlineData("00000001-0123456789abcdef0123456789abcdeF")]
    [InlineData("00000001-0123456789abcdef0123456789abcde/")]
    [InlineData("00000001/0123456789abcdef0123456789abcdef")]
    public void SessionIds_TryParseNode_RefusesOtherShapes(string sessionId)
    {
        Assert.False(SessionIds.TryParseNode(sessionId, out _));
    }
}
