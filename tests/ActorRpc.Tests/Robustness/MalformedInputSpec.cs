using System.Net;
using System.Net.Http.Headers;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Text.Unicode;
using ActorRpc.Tests.Infrastructure;

namespace ActorRpc.Tests.Robustness;

/// <summary>
/// Issue 4: every kind of bad input gets its documented answer over a real socket (docs/limits.md),
/// and afterwards the same socket still answers ping, or, when the input earned a close, the client
/// received a real close frame with the documented status and a fresh socket answers ping.
/// </summary>
public sealed class MalformedInputSpec(RpcServerFixture fixture) : IClassFixture<RpcServerFixture>
{
    private const int DefaultMaxMessageSize = 1024 * 1024;

    private RpcServer Server => fixture.Server;

    /// <summary>A message and the one response it must get (compared as JSON; "data" is ignored).</summary>
    public static TheoryData<string, string> JsonLevelCases() => new()
    {
        { string.Empty, """{"jsonrpc":"2.0","id":null,"error":{"code":-32700}}""" },
        { "   \r\n\t ", """{"jsonrpc":"2.0","id":null,"error":{"code":-32700}}""" },
        { "\"foo\"", """{"jsonrpc":"2.0","id":null,"error":{"code":-32600}}""" },
        { "42", """{"jsonrpc":"2.0","id":null,"error":{"code":-32600}}""" },
        { "null", """{"jsonrpc":"2.0","id":null,"error":{"code":-32600}}""" },
        { "true", """{"jsonrpc":"2.0","id":null,"error":{"code":-32600}}""" },
        { "{}", """{"jsonrpc":"2.0","id":null,"error":{"code":-32600}}""" },
        { "[]", """{"jsonrpc":"2.0","id":null,"error":{"code":-32600}}""" },
        { "[1]", """[{"jsonrpc":"2.0","id":null,"error":{"code":-32600}}]""" },
        {
            """[1,"x",null,{},[]]""",
            """
            [{"jsonrpc":"2.0","id":null,"error":{"code":-32600}},{"jsonrpc":"2.0","id":null,"error":{"code":-32600}},
             {"jsonrpc":"2.0","id":null,"error":{"code":-32600}},{"jsonrpc":"2.0","id":null,"error":{"code":-32600}},
             {"jsonrpc":"2.0","id":null,"error":{"code":-32600}}]
            """
        },
        { """{"jsonrpc":"2.0","method":"foobar, "params":"bar", "baz]""", """{"jsonrpc":"2.0","id":null,"error":{"code":-32700}}""" },
        { """[{"jsonrpc":"2.0","method":"ping","id":"1"},{"jsonrpc":"2.0","method" ]""", """{"jsonrpc":"2.0","id":null,"error":{"code":-32700}}""" },
        { """{"jsonrpc":"2.0","method":"ping","id":1}{"jsonrpc":"2.0","method":"ping","id":2}""", """{"jsonrpc":"2.0","id":null,"error":{"code":-32700}}""" },
        { """{"jsonrpc":"2.0","method":1,"params":"bar"}""", """{"jsonrpc":"2.0","id":null,"error":{"code":-32600}}""" },
        { """{"jsonrpc":"2.0","method":"ping","id":{"a":1}}""", """{"jsonrpc":"2.0","id":null,"error":{"code":-32600}}""" },
        { """{"jsonrpc":"2.0","method":"ping","id":[1]}""", """{"jsonrpc":"2.0","id":null,"error":{"code":-32600}}""" },
        { """{"jsonrpc":"2.0","method":"ping","id":true}""", """{"jsonrpc":"2.0","id":null,"error":{"code":-32600}}""" },
        { """{"jsonrpc":2.0,"method":"ping","id":5}""", """{"jsonrpc":"2.0","id":5,"error":{"code":-32600}}""" },
        { """{"jsonrpc":"2.0","method":"ping","params":"x","id":6}""", """{"jsonrpc":"2.0","id":6,"error":{"code":-32600}}""" },
        { """{"jsonrpc":"2.0","method":"\uD800","id":7}""", """{"jsonrpc":"2.0","id":7,"error":{"code":-32600}}""" },
        { """{"jsonrpc":"2.0","method":"ping","method":"nope","id":8}""", """{"jsonrpc":"2.0","id":8,"error":{"code":-32601}}""" },
        { """{"jsonrpc":"2.0","method":"ping","id":1e400}""", """{"jsonrpc":"2.0","id":1e400,"result":"pong"}""" },
        { """{"jsonrpc":"2.0","method":"ping","id":"a\"b\u00e9\\"}""", """{"jsonrpc":"2.0","id":"a\"bé\\","result":"pong"}""" },

        // Numbers that are valid JSON but fit no .NET number, and tokens that are not JSON numbers at all.
        { """{"jsonrpc":"2.0","method":"add","params":[1e400,1],"id":10}""", """{"jsonrpc":"2.0","id":10,"error":{"code":-32602}}""" },
        { """{"jsonrpc":"2.0","method":"add","params":[-1e400,1],"id":11}""", """{"jsonrpc":"2.0","id":11,"error":{"code":-32602}}""" },
        { $$"""{"jsonrpc":"2.0","method":"add","params":[{{new string('9', 400)}},1],"id":12}""", """{"jsonrpc":"2.0","id":12,"error":{"code":-32602}}""" },
        { $$"""{"jsonrpc":"2.0","method":"add","params":[0.{{new string('0', 400)}}1,1],"id":13}""", """{"jsonrpc":"2.0","id":13,"result":1}""" },
        { """{"jsonrpc":"2.0","method":"add","params":[1e-400,1],"id":14}""", """{"jsonrpc":"2.0","id":14,"result":1}""" },
        { """{"jsonrpc":"2.0","method":"add","params":[-0,0],"id":15}""", """{"jsonrpc":"2.0","id":15,"result":0}""" },
        { """{"jsonrpc":"2.0","method":"add","params":[-0.0,1.5],"id":16}""", """{"jsonrpc":"2.0","id":16,"result":1.5}""" },
        { """{"jsonrpc":"2.0","method":"add","params":{"a":1e308,"b":1e308},"id":17}""", """{"jsonrpc":"2.0","id":17,"error":{"code":-32602}}""" },
        { """{"jsonrpc":"2.0","method":"add","params":[NaN,1],"id":18}""", """{"jsonrpc":"2.0","id":null,"error":{"code":-32700}}""" },
        { """{"jsonrpc":"2.0","method":"add","params":[Infinity,1],"id":19}""", """{"jsonrpc":"2.0","id":null,"error":{"code":-32700}}""" },
        { """{"jsonrpc":"2.0","method":"add","params":[-Infinity,1],"id":20}""", """{"jsonrpc":"2.0","id":null,"error":{"code":-32700}}""" },
        { """{"jsonrpc":"2.0","method":"add","params":[0x10,1],"id":21}""", """{"jsonrpc":"2.0","id":null,"error":{"code":-32700}}""" },
        { """{"jsonrpc":"2.0","method":"add","params":[01,1],"id":22}""", """{"jsonrpc":"2.0","id":null,"error":{"code":-32700}}""" },
        { """{"jsonrpc":"2.0","method":"add","params":[+1,1],"id":23}""", """{"jsonrpc":"2.0","id":null,"error":{"code":-32700}}""" },
        { """{"jsonrpc":"2.0","method":"add","params":[1.,1],"id":24}""", """{"jsonrpc":"2.0","id":null,"error":{"code":-32700}}""" },
        { """{"jsonrpc":"2.0","method":"add","params":["1",1],"id":25}""", """{"jsonrpc":"2.0","id":25,"error":{"code":-32602}}""" },
        { """{"jsonrpc":"2.0","method":"divide","params":[1e400,1],"id":26}""", """{"jsonrpc":"2.0","id":26,"error":{"code":-32602}}""" },
        { """{"jsonrpc":"2.0","method":"divide","params":[9223372036854775808,1],"id":27}""", """{"jsonrpc":"2.0","id":27,"error":{"code":-32602}}""" },
        { """{"jsonrpc":"2.0","method":"divide","params":[2.5,1],"id":28}""", """{"jsonrpc":"2.0","id":28,"error":{"code":-32602}}""" },

        // Text the reader accepts as JSON but that is not Unicode: a lone surrogate escape.
        { """{"jsonrpc":"2.0","method":"echo","params":["\uDC00"],"id":30}""", """{"jsonrpc":"2.0","id":30,"error":{"code":-32602}}""" },
        { """{"jsonrpc":"2.0","method":"echo","params":{"\uD800x":1},"id":31}""", """{"jsonrpc":"2.0","id":31,"error":{"code":-32602}}""" },
        { """{"jsonrpc":"2.0","method":"add","params":{"\uD800":1,"b":2},"id":32}""", """{"jsonrpc":"2.0","id":32,"error":{"code":-32602}}""" },
        { """{"jsonrpc":"2.0","method":"ping","\uDC00":1,"id":33}""", """{"jsonrpc":"2.0","id":33,"result":"pong"}""" },
        { """{"jsonrpc":"\uD800","method":"ping","id":34}""", """{"jsonrpc":"2.0","id":34,"error":{"code":-32600}}""" },
        { """[{"jsonrpc":"2.0","method":"ping","\uDC00":1,"id":35}]""", """[{"jsonrpc":"2.0","id":35,"result":"pong"}]""" },
        { """{"jsonrpc":"2.0","method":"unsubscribe","params":{"\uDC00":1,"topics":"news"},"id":37}""", """{"jsonrpc":"2.0","id":37,"result":[]}""" },
    };

    [Theory]
    [MemberData(nameof(JsonLevelCases))]
    public async Task WebSocket_MalformedJson_DefinedErrorAndSameSocketAnswersPing(string message, string expected)
    {
        await using var socket = await Server.ConnectAsync();
        await socket.SendAsync(Encoding.UTF8.GetBytes(message), WebSocketMessageType.Text);

        AssertResponse(expected, await socket.ReceiveAsync());
        await AssertAnswersPingAsync(socket);
    }

    [Theory]
    [MemberData(nameof(JsonLevelCases))]
    public async Task HttpPost_MalformedJson_DefinedError(string message, string expected)
    {
        using var response = await PostAsync(Encoding.UTF8.GetBytes(message));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        AssertResponse(expected, await response.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData("params")]
    [InlineData("top level")]
    [InlineData("objects")]
    public async Task DeepNesting_HundredThousandLevels_ParseErrorAndSameSocketAnswersPing(string where)
    {
        var message = where switch
        {
            "params" => """{"jsonrpc":"2.0","method":"echo","id":1,"params":""" + new string('[', 100_000) + new string(']', 100_000) + "}",
            "top level" => new string('[', 100_000),
            _ => """{"jsonrpc":"2.0","method":"echo","id":1,"params":""" + string.Concat(Enumerable.Repeat("""{"a":""", 50_000)) + "1" + new string('}', 50_001),
        };
        await using var socket = await Server.ConnectAsync();
        await socket.SendAsync(message);

        AssertResponse("""{"jsonrpc":"2.0","id":null,"error":{"code":-32700}}""", await socket.ReceiveAsync());
        await AssertAnswersPingAsync(socket);
    }

    [Fact]
    public async Task HttpPost_DeepNesting_ParseError()
    {
        using var response = await PostAsync(Encoding.UTF8.GetBytes(new string('{', 100_000)));
        AssertResponse("""{"jsonrpc":"2.0","id":null,"error":{"code":-32700}}""", await response.Content.ReadAsStringAsync());
    }

    /// <summary>Byte sequences RFC 3629 forbids, placed inside a JSON string of an otherwise good request.</summary>
    public static TheoryData<string, byte[]> InvalidUtf8() => new()
    {
        { "lone continuation byte", [0x80] },
        { "overlong slash", [0xC0, 0xAF] },
        { "encoded surrogate", [0xED, 0xA0, 0x80] },
        { "truncated sequence", [0xE2, 0x82] },
        { "0xFF", [0xFF] },
        { "above U+10FFFF", [0xF4, 0x90, 0x80, 0x80] },
    };

    [Theory]
    [MemberData(nameof(InvalidUtf8))]
    public async Task WebSocket_InvalidUtf8_RealCloseFrame1007AndFreshSocketAnswersPing(string name, byte[] bad)
    {
        _ = name;
        await using var socket = await Server.ConnectAsync();
        await socket.SendAsync(WithInString(bad), WebSocketMessageType.Text);

        await AssertClosedAsync(socket, WebSocketCloseStatus.InvalidPayloadData);
    }

    [Fact]
    public async Task WebSocket_InvalidUtf8SplitAcrossFrames_RealCloseFrame1007()
    {
        // The first byte of a 3-byte sequence ends one frame; its bad continuation starts the next.
        var head = Encoding.UTF8.GetBytes("{\"jsonrpc\":\"2.0\",\"method\":\"echo\",\"params\":[\"");
        await using var socket = await Server.ConnectAsync();
        await socket.SendAsync([.. head, 0xE2], WebSocketMessageType.Text, endOfMessage: false);
        await socket.SendAsync([0x28, .. "\"],\"id\":1}"u8], WebSocketMessageType.Text, endOfMessage: true);

        await AssertClosedAsync(socket, WebSocketCloseStatus.InvalidPayloadData);
    }

    [Fact]
    public async Task WebSocket_InvalidUtf8ThenMoreRequests_CloseFrameStillReachesClient()
    {
        // A client that keeps sending after its bad message must still learn why it was closed.
        await using var socket = await Server.ConnectAsync();
        await socket.SendAsync(WithInString([0xFF]), WebSocketMessageType.Text);
        for (var i = 0; i < 20 && socket.Socket.State == WebSocketState.Open; i++)
        {
            try
            {
                await socket.SendAsync("""{"jsonrpc":"2.0","method":"ping","id":1}""");
            }
            catch (WebSocketException)
            {
                break; // The server is gone: what matters is whether its close frame arrived first.
            }
        }

        await AssertClosedAsync(socket, WebSocketCloseStatus.InvalidPayloadData);
    }

    [Fact]
    public async Task HttpPost_InvalidUtf8_ParseError()
    {
        using var response = await PostAsync(WithInString([0xC3, 0x28]));
        AssertResponse("""{"jsonrpc":"2.0","id":null,"error":{"code":-32700}}""", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task WebSocket_OneByteFragments_AssembledAnsweredAndSameSocketAnswersPing()
    {
        var bytes = Encoding.UTF8.GetBytes("""{"jsonrpc":"2.0","method":"echo","params":{"text":"één frame per byte ✓"},"id":"frag"}""");
        await using var socket = await Server.ConnectAsync();
        for (var i = 0; i < bytes.Length; i++)
        {
            await socket.SendAsync(bytes[i..(i + 1)], WebSocketMessageType.Text, endOfMessage: i == bytes.Length - 1);
        }

        AssertResponse("""{"jsonrpc":"2.0","id":"frag","result":{"text":"één frame per byte ✓"}}""", await socket.ReceiveAsync());
        await AssertAnswersPingAsync(socket);
    }

    [Fact]
    public async Task WebSocket_EmptyFragmentsAroundMessage_Answered()
    {
        await using var socket = await Server.ConnectAsync();
        await socket.SendAsync([], WebSocketMessageType.Text, endOfMessage: false);
        await socket.SendAsync(Encoding.UTF8.GetBytes("""{"jsonrpc":"2.0","method":"ping","id":1}"""), WebSocketMessageType.Text, endOfMessage: false);
        await socket.SendAsync([], WebSocketMessageType.Text, endOfMessage: true);

        AssertResponse("""{"jsonrpc":"2.0","id":1,"result":"pong"}""", await socket.ReceiveAsync());
        await AssertAnswersPingAsync(socket);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task WebSocket_BinaryMessage_RealCloseFrame1003AndFreshSocketAnswersPing(bool fragmented)
    {
        var bytes = Encoding.UTF8.GetBytes("""{"jsonrpc":"2.0","method":"ping","id":1}""");
        await using var socket = await Server.ConnectAsync();
        if (fragmented)
        {
            await socket.SendAsync(bytes[..5], WebSocketMessageType.Binary, endOfMessage: false);
            await socket.SendAsync(bytes[5..], WebSocketMessageType.Binary, endOfMessage: true);
        }
        else
        {
            await socket.SendAsync(bytes, WebSocketMessageType.Binary);
        }

        await AssertClosedAsync(socket, WebSocketCloseStatus.InvalidMessageType);
    }

    [Fact]
    public async Task WebSocket_TenThousandEntryBatch_SingleInvalidRequestAndSameSocketAnswersPing()
    {
        await using var socket = await Server.ConnectAsync();
        await socket.SendAsync(PingBatch(10_000));

        var response = await socket.ReceiveJsonAsync();
        Assert.Equal(JsonValueKind.Object, response.ValueKind);
        Assert.Equal(JsonValueKind.Null, response.GetProperty("id").ValueKind);
        var error = JsonAssert.Error(response, -32600);
        Assert.Contains("MaxBatchSize", error.GetProperty("data").GetString(), StringComparison.Ordinal);
        await AssertAnswersPingAsync(socket);
    }

    [Fact]
    public async Task HttpPost_TenThousandEntryBatch_SingleInvalidRequest()
    {
        using var response = await PostAsync(Encoding.UTF8.GetBytes(PingBatch(10_000)));
        AssertResponse("""{"jsonrpc":"2.0","id":null,"error":{"code":-32600}}""", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task WebSocket_TenThousandEntryBatch_WithinRaisedMaxBatchSize_EveryEntryAnswered()
    {
        await using var server = await RpcServer.StartAsync(null, "--ActorRpc:Limits:MaxBatchSize=10000");
        await using var socket = await server.ConnectAsync();
        await socket.SendAsync(PingBatch(10_000));

        var response = await socket.ReceiveJsonAsync();
        Assert.Equal(JsonValueKind.Array, response.ValueKind);
        var ids = new HashSet<int>();
        foreach (var entry in response.EnumerateArray())
        {
            Assert.Equal("pong", JsonAssert.Result(entry).GetString());
            Assert.True(ids.Add(entry.GetProperty("id").GetInt32()), "Each id is answered once.");
        }

        Assert.Equal(10_000, ids.Count);
        await AssertAnswersPingAsync(socket);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(64 * 1024)]
    public async Task WebSocket_MessageOverMaxMessageSize_RealCloseFrame1009AndFreshSocketAnswersPing(int fragmentSize)
    {
        var message = Encoding.UTF8.GetBytes($$"""{"jsonrpc":"2.0","method":"echo","params":["{{new string('x', DefaultMaxMessageSize)}}"],"id":1}""");
        await using var socket = await Server.ConnectAsync();
        if (fragmentSize == 1)
        {
            await socket.SendAsync(message, WebSocketMessageType.Text);
        }
        else
        {
            for (var offset = 0; offset < message.Length; offset += fragmentSize)
            {
                var end = Math.Min(offset + fragmentSize, message.Length);
                await socket.SendAsync(message[offset..end], WebSocketMessageType.Text, endOfMessage: end == message.Length);
            }
        }

        var reason = await AssertClosedAsync(socket, WebSocketCloseStatus.MessageTooBig);
        Assert.Contains("MaxMessageSize", reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WebSocket_NotificationOnlyMessages_NoReplyAndSameSocketAnswersPing()
    {
        await using var socket = await Server.ConnectAsync();
        await socket.SendAsync("""{"jsonrpc":"2.0","method":"add","params":[1e400,1]}""");
        await socket.SendAsync("""{"jsonrpc":"2.0","method":"no_such_method","params":[1]}""");
        await socket.SendAsync("""[{"jsonrpc":"2.0","method":"echo","params":["\uD800"]},{"jsonrpc":"2.0","method":"divide","params":[1,0]}]""");

        // The ping's answer must be the next message: nothing was owed to the notifications.
        await AssertAnswersPingAsync(socket);
        await socket.ExpectNoMessageAsync();
    }

    private static void AssertResponse(string expected, string actual)
    {
        Assert.True(Utf8.IsValid(Encoding.UTF8.GetBytes(actual)), "The response is valid UTF-8");
        JsonAssert.Equivalent(expected, WithoutErrorDetail(actual));
    }

    /// <summary>Drops the free-text parts of errors ("message", "data"), which are not part of the contract.</summary>
    private static string WithoutErrorDetail(string response)
    {
        var node = System.Text.Json.Nodes.JsonNode.Parse(response)!;
        var responses = node is System.Text.Json.Nodes.JsonArray array ? array.Select(n => n!) : [node];
        foreach (var item in responses)
        {
            if (item["error"] is System.Text.Json.Nodes.JsonObject error)
            {
                Assert.Equal(JsonValueKind.String, error["message"]!.GetValueKind());
                error.Remove("message");
                error.Remove("data");
            }
        }

        return node.ToJsonString();
    }

    private async Task AssertAnswersPingAsync(RpcTestSocket socket)
    {
        var pong = await socket.CallAsync("ping");
        Assert.Equal("pong", JsonAssert.Result(pong).GetString());
    }

    /// <summary>Asserts a real close frame with <paramref name="status"/> reached the client, then that a fresh socket answers ping.</summary>
    private async Task<string?> AssertClosedAsync(RpcTestSocket socket, WebSocketCloseStatus status)
    {
        // ReceiveCloseAsync fails with "ended without a close frame" if the server aborted instead.
        var (actual, reason) = await socket.ReceiveCloseAsync();
        Assert.Equal(status, actual);
        Assert.Equal(WebSocketState.CloseReceived, socket.Socket.State);

        await using var fresh = await Server.ConnectAsync();
        await AssertAnswersPingAsync(fresh);
        return reason;
    }

    private async Task<HttpResponseMessage> PostAsync(byte[] body)
    {
        using var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        return await Server.Http.PostAsync(Server.RpcUri, content);
    }

    private static byte[] WithInString(byte[] bad) =>
        [.. "{\"jsonrpc\":\"2.0\",\"method\":\"echo\",\"params\":[\""u8, .. bad, .. "\"],\"id\":1}"u8];

    private static string PingBatch(int count) =>
        "[" + string.Join(",", Enumerable.Range(0, count).Select(i => $$"""{"jsonrpc":"2.0","method":"ping","id":{{i}}}""")) + "]";
}
