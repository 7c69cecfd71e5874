using System.Net;
using System.Text;
using ActorRpc.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace ActorRpc.Tests.Gateway;

/// <summary>
/// Issue 11: <c>ActorRpc:Protocol:Compatibility</c> over real sockets. Strict JSON-RPC 2.0 by default;
/// under <c>AiohttpJsonRpc</c>, what aiohttp-json-rpc's Python client and rpc.js send is understood.
/// </summary>
public sealed class CompatibilityProfileSpec
{
    private const string Aiohttp = "--ActorRpc:Protocol:Compatibility=AiohttpJsonRpc";

    [Fact]
    public async Task Strict_ScalarParams_InvalidRequestOverBothTransports()
    {
        await using var server = await RpcServer.StartAsync();
        await using var socket = await server.ConnectAsync();
        await socket.SendAsync("""{"jsonrpc":"2.0","method":"subscribe","params":"news","id":1}""");
        JsonAssert.Equivalent(
            """{"jsonrpc":"2.0","id":1,"error":{"code":-32600,"message":"Invalid Request","data":"\"params\" must be an array or an object"}}""",
            await socket.ReceiveAsync());

        using var response = await server.Http.PostAsync("/rpc", Json("""{"jsonrpc":"2.0","method":"echo","params":"hi","id":2}"""));
        JsonAssert.Error(System.Text.Json.JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement, -32600);
    }

    [Fact]
    public async Task Aiohttp_SubscribeWithABareTopic_SubscribedAndNotified()
    {
        await using var server = await RpcServer.StartAsync(null, Aiohttp);
        await using var socket = await server.ConnectAsync();
        await socket.SendAsync("""{"jsonrpc":"2.0","method":"subscribe","params":"news","id":1}""");
        JsonAssert.Equivalent("""{"jsonrpc":"2.0","id":1,"result":["news"]}""", await socket.ReceiveAsync());

        await socket.SendAsync("""{"jsonrpc":"2.0","method":"publish","params":{"topic":"news","data":{"headline":"hi"}},"id":2}""");
        var first = await socket.ReceiveJsonAsync();
        var second = await socket.ReceiveJsonAsync();
        var notification = first.TryGetProperty("method", out _) ? first : second;
        Assert.Equal("hi", notification.GetProperty("params").GetProperty("headline").GetString());

        await socket.SendAsync("""{"jsonrpc":"2.0","method":"unsubscribe","params":"news","id":3}""");
        JsonAssert.Equivalent("""{"jsonrpc":"2.0","id":3,"result":[]}""", await socket.ReceiveAsync());
    }

    [Fact]
    public async Task Aiohttp_ScalarAndNullParams_ReadAsOneArgumentAndAsNone()
    {
        await using var server = await RpcServer.StartAsync(null, Aiohttp);
        await using var socket = await server.ConnectAsync();
        await socket.SendAsync("""{"jsonrpc":"2.0","method":"echo","params":"hi","id":1}""");
        JsonAssert.Equivalent("""{"jsonrpc":"2.0","id":1,"result":"hi"}""", await socket.ReceiveAsync());
        await socket.SendAsync("""{"jsonrpc":"2.0","method":"sleep","params":5,"id":2}""");
        JsonAssert.Equivalent("""{"jsonrpc":"2.0","id":2,"result":5}""", await socket.ReceiveAsync());
        await socket.SendAsync("""{"jsonrpc":"2.0","method":"ping","params":null,"id":3}""");
        JsonAssert.Equivalent("""{"jsonrpc":"2.0","id":3,"result":"pong"}""", await socket.ReceiveAsync());

        using var response = await server.Http.PostAsync("/rpc", Json("""{"jsonrpc":"2.0","method":"sleep","params":1,"id":4}"""));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        JsonAssert.Equivalent("""{"jsonrpc":"2.0","id":4,"result":1}""", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Aiohttp_PrefixedMethods_DoubleUnderscoreByDefault()
    {
        await using var server = await RpcServer.StartAsync(builder => builder.Services.AddActorRpc().AddMethods<SpecExampleMethods>("math"), Aiohttp);
        await using var socket = await server.ConnectAsync();
        Assert.Equal(19, JsonAssert.Result(await socket.CallAsync("math__subtract", new[] { 42, 23 })).GetInt32());
        JsonAssert.Error(await socket.CallAsync("math.subtract", new[] { 42, 23 }), -32601);
    }

    [Fact]
    public async Task Aiohttp_PrefixSeparatorSet_SettingWins()
    {
        await using var server = await RpcServer.StartAsync(
            builder => builder.Services.AddActorRpc().AddMethods<SpecExampleMethods>("math"),
            Aiohttp,
            "--ActorRpc:Methods:PrefixSeparator=.");
        await using var socket = await server.ConnectAsync();
        Assert.Equal(19, JsonAssert.Result(await socket.CallAsync("math.subtract", new[] { 42, 23 })).GetInt32());
    }

    [Fact]
    public async Task Strict_PrefixedMethods_DotByDefault()
    {
        await using var server = await RpcServer.StartAsync(builder => builder.Services.AddActorRpc().AddMethods<SpecExampleMethods>("math"));
        await using var socket = await server.ConnectAsync();
        Assert.Equal(19, JsonAssert.Result(await socket.CallAsync("math.subtract", new[] { 42, 23 })).GetInt32());
    }

    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");
}
