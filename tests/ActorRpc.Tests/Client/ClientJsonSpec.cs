using System.Text.Json;
using System.Text.Json.Serialization;
using ActorRpc.Client;
using ActorRpc.Tests.Infrastructure;

namespace ActorRpc.Tests.Client;

/// <summary>The types a source-generated-only client passes and reads, and nothing else.</summary>
[JsonSerializable(typeof(long))]
[JsonSerializable(typeof(string))]
[JsonSerializable(typeof(ClientJsonSpec.Sum))]
internal sealed partial class ClientSpecJsonContext : JsonSerializerContext;

/// <summary>A client whose serializer knows only a source-generated context (no reflection resolver).</summary>
public sealed class ClientJsonSpec(ClientServerFixture fixture) : IClassFixture<ClientServerFixture>
{
    public sealed record Sum(long A, long B);

    [Fact]
    public async Task SourceGeneratedContextOnly_PositionalNamedAndResults_Work()
    {
        await using var client = await ActorRpcClient.ConnectAsync(fixture.Server.WebSocketUri, options =>
            options.SerializerOptions = new JsonSerializerOptions(JsonSerializerDefaults.Web) { TypeInfoResolver = ClientSpecJsonContext.Default }).DefaultTimeout();

        Assert.Equal(5L, await client.CallAsync<long>("add", 2L, 3L).DefaultTimeout());
        Assert.Equal(9L, await client.CallNamedAsync<long>("add", new Sum(4, 5)).DefaultTimeout());
        Assert.Equal("pong", await client.CallAsync<string>("ping").DefaultTimeout());
        await using var news = await client.SubscribeAsync<JsonElement>("news").DefaultTimeout();
    }
}
