using System.Text;
using System.Text.Json;
using ActorRpc.DemoHost;
using ActorRpc.Tests.Infrastructure;

namespace ActorRpc.Tests.ClientCalls;

/// <summary>Issue 14: the demo node's <c>ask_client</c> calls the caller's own client and returns what it answered.</summary>
public sealed class AskClientDemoSpec
{
    [Fact]
    public async Task AskClient_ClientAnswers_ResultReturned()
    {
        await using var node = await RpcServer.StartAsync();
        await using var socket = await node.ConnectAsync();

        await socket.SendAsync("""{"jsonrpc":"2.0","method":"ask_client","params":{"method":"confirm","params":["Sure?"]},"id":1}""");
        var request = await socket.ReceiveJsonAsync();
        JsonAssert.Equivalent("""{"jsonrpc":"2.0","id":"s:1","method":"confirm","params":["Sure?"]}""", request.GetRawText());
        await ClientCallApp.SendResultAsync(socket, "s:1", """{"ok":true}""");

        JsonAssert.Equivalent("""{"jsonrpc":"2.0","id":1,"result":{"ok":true}}""", (await socket.ReceiveJsonAsync()).GetRawText());
    }

    [Fact]
    public async Task AskClient_ClientErrors_ApplicationCodePassesReservedCodeMapped()
    {
        await using var node = await RpcServer.StartAsync();
        await using var socket = await node.ConnectAsync();

        await socket.SendAsync("""{"jsonrpc":"2.0","method":"ask_client","params":{"method":"refuse"},"id":1}""");
        var request = await socket.ReceiveJsonAsync();
        Assert.False(request.TryGetProperty("params", out _));
        await socket.SendAsync("""{"jsonrpc":"2.0","id":"s:1","error":{"code":-32042,"message":"No.","data":{"why":"because"}}}""");
        JsonAssert.Equivalent(
            """{"jsonrpc":"2.0","id":1,"error":{"code":-32042,"message":"No.","data":{"why":"because"}}}""", (await socket.ReceiveJsonAsync()).GetRawText());

        await socket.SendAsync("""{"jsonrpc":"2.0","method":"ask_client","params":{"method":"missing","params":{"a":1}},"id":2}""");
        Assert.Equal("s:2", (await socket.ReceiveJsonAsync()).GetProperty("id").GetString());
        await socket.SendAsync("""{"jsonrpc":"2.0","id":"s:2","error":{"code":-32601,"message":"Method not found"}}""");
        var error = JsonAssert.Error(await socket.ReceiveJsonAsync(), DemoMethods.ClientErrorCode);
        Assert.Equal(-32601, error.GetProperty("data").GetProperty("clientCode").GetInt32());
    }

    [Fact]
    public async Task AskClient_NoAnswerInTime_ClientTimeoutCode()
    {
        await using var node = await RpcServer.StartAsync(null, "--ActorRpc:Limits:ClientCallTimeout=00:00:00.200");
        await using var socket = await node.ConnectAsync();

        await socket.SendAsync("""{"jsonrpc":"2.0","method":"ask_client","params":{"method":"slow"},"id":1}""");
        Assert.True(ClientCallApp.IsServerRequest(await socket.ReceiveJsonAsync()));
        var frames = await ClientCallApp.ReceiveAsync(socket, 2); // the $/cancelRequest, and the answer
        JsonAssert.Error(Assert.Single(frames, f => f.TryGetProperty("id", out _)), DemoMethods.ClientTimeoutCode);
    }

    [Fact]
    public async Task AskClient_OverHttp_ClientUnavailableCode()
    {
        await using var node = await RpcServer.StartAsync();
        using var response = await node.Http.PostAsync(
            "/rpc", new StringContent("""{"jsonrpc":"2.0","method":"ask_client","params":{"method":"confirm"},"id":1}""", Encoding.UTF8, "application/json"));
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        JsonAssert.Error(document.RootElement, DemoMethods.ClientUnavailableCode);
    }
}
