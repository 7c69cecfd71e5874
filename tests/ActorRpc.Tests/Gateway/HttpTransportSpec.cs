namespace ActorRpc.Tests.Gateway;

/// <summary><see cref="RpcTransportSpec"/> over HTTP POST: one message per request, 204 when there is no response.</summary>
public sealed class HttpTransportSpec(SpecServerFixture fixture) : RpcTransportSpec(fixture)
{
    protected override async Task<string?> ExchangeAsync(string message, bool expectResponse)
    {
        using var content = new StringContent(message, System.Text.Encoding.UTF8, "application/json");
        using var response = await Server.Http.PostAsync(Server.RpcUri, content);
        if (response.StatusCode == System.Net.HttpStatusCode.NoContent)
        {
            return null;
        }

        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        return await response.Content.ReadAsStringAsync();
    }
}
