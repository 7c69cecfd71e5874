using ActorRpc.Tests.Infrastructure;

namespace ActorRpc.Tests.Reliability;

/// <summary>
/// Limits:MaxResponseSize: a response past it becomes -32603 with its id, a batch whose array would
/// pass it one -32603 with id null; the connection stays open and answers on.
/// </summary>
public sealed class ResponseSizeSpec
{
    private const int MaxResponseSize = 4096;

    [Fact]
    public async Task SingleResponse_OverTheLimit_Minus32603WithItsIdNamingTheSetting()
    {
        await using var server = await RpcServer.StartAsync(null, $"--ActorRpc:Limits:MaxResponseSize={MaxResponseSize}");
        await using var socket = await server.ConnectAsync();

        var response = await socket.CallAsync("echo", new { text = new string('x', MaxResponseSize) });

        var error = response.GetProperty("error");
        Assert.Equal(-32603, error.GetProperty("code").GetInt32());
        Assert.Contains("ActorRpc:Limits:MaxResponseSize", error.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal("ActorRpc:Limits:MaxResponseSize", error.GetProperty("data").GetProperty("limit").GetString()); // as -32000 names its limit
        Assert.False(response.TryGetProperty("result", out _));

        // Under the limit, and afterwards: answered as ever.
        var small = await socket.CallAsync("echo", new { text = new string('x', MaxResponseSize / 2) });
        Assert.Equal(MaxResponseSize / 2, small.GetProperty("result").GetProperty("text").GetString()!.Length);
    }

    [Fact]
    public async Task BatchResponse_ArrayOverTheLimit_OneMinus32603WithIdNull()
    {
        await using var server = await RpcServer.StartAsync(null, $"--ActorRpc:Limits:MaxResponseSize={MaxResponseSize}");
        await using var socket = await server.ConnectAsync();

        // Each response fits (~1 KB); ten of them do not.
        var padding = new string('x', 1000);
        var entries = Enumerable.Range(1, 10).Select(i => $$"""{"jsonrpc":"2.0","method":"echo","params":{"text":"{{padding}}"},"id":{{i}}}""");
        await socket.SendAsync($"[{string.Join(',', entries)}]");

        var response = await socket.ReceiveJsonAsync();
        Assert.Equal(System.Text.Json.JsonValueKind.Object, response.ValueKind);
        Assert.Equal(System.Text.Json.JsonValueKind.Null, response.GetProperty("id").ValueKind);
        var error = response.GetProperty("error");
        Assert.Equal(-32603, error.GetProperty("code").GetInt32());
        Assert.Contains("ActorRpc:Limits:MaxResponseSize", error.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal("ActorRpc:Limits:MaxResponseSize", error.GetProperty("data").GetProperty("limit").GetString());

        // A batch that fits is an array as ever.
        await socket.SendAsync($"[{string.Join(',', entries.Take(2))}]");
        Assert.Equal(2, (await socket.ReceiveJsonAsync()).GetArrayLength());
    }

    [Fact]
    public async Task HttpBatch_ArrayOverTheLimit_OneMinus32603WithIdNull()
    {
        await using var server = await RpcServer.StartAsync(null, $"--ActorRpc:Limits:MaxResponseSize={MaxResponseSize}");
        var padding = new string('x', 1000);
        var entries = Enumerable.Range(1, 10).Select(i => $$"""{"jsonrpc":"2.0","method":"echo","params":{"text":"{{padding}}"},"id":{{i}}}""");
        using var content = new StringContent($"[{string.Join(',', entries)}]", System.Text.Encoding.UTF8, "application/json");

        using var response = await server.Http.PostAsync(server.RpcUri, content);

        using var document = System.Text.Json.JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(System.Text.Json.JsonValueKind.Null, document.RootElement.GetProperty("id").ValueKind);
        Assert.Equal(-32603, document.RootElement.GetProperty("error").GetProperty("code").GetInt32());
    }
}
