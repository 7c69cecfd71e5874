using System.Text;
using System.Text.Json;
using ActorRpc.Testing;
using ActorRpc.Tests.Infrastructure;

namespace ActorRpc.Tests.Security;

/// <summary>
/// Who a test connects as, through <see cref="HeaderAuthenticationHandler"/>'s headers: anonymous,
/// or a named user with roles, permissions (claims of type <c>permission</c>) and other claims.
/// </summary>
public sealed record TestCaller(string? Name, IReadOnlyList<string> Roles, IReadOnlyList<string> Permissions, IReadOnlyList<string> Claims)
{
    public static TestCaller Anonymous { get; } = new(null, [], [], []);

    /// <summary>A signed-in user; <paramref name="claims"/> are <c>type=value</c> pairs.</summary>
    public static TestCaller User(string name, string[]? roles = null, string[]? permissions = null, string[]? claims = null) =>
        new(name, roles ?? [], permissions ?? [], claims ?? []);

    /// <summary>The request headers that make this caller (none for anonymous).</summary>
    public IEnumerable<KeyValuePair<string, string>> Headers()
    {
        if (Name is null)
        {
            yield break;
        }

        yield return new(HeaderAuthenticationHandler.Header, Name);
        if (Roles.Count > 0)
        {
            yield return new(HeaderAuthenticationHandler.RolesHeader, string.Join(',', Roles));
        }

        if (Permissions.Count > 0)
        {
            yield return new(HeaderAuthenticationHandler.PermissionsHeader, string.Join(',', Permissions));
        }

        if (Claims.Count > 0)
        {
            yield return new(HeaderAuthenticationHandler.ClaimsHeader, string.Join(',', Claims));
        }
    }

    /// <summary>Opens a WebSocket to <paramref name="app"/>'s ActorRpc endpoint as this caller.</summary>
    public Task<RpcTestSocket> ConnectAsync(ActorRpcTestServer app) => RpcTestSocket.ConnectAsync(app.Url, options =>
    {
        foreach (var (name, value) in Headers())
        {
            options.SetRequestHeader(name, value);
        }
    });

    /// <summary>Connects, makes one call, and closes.</summary>
    public async Task<JsonElement> CallAsync(ActorRpcTestServer app, string method, object? parameters = null)
    {
        await using var socket = await ConnectAsync(app);
        return await socket.CallAsync(method, parameters);
    }

    /// <summary>Makes one call over HTTP POST as this caller and returns the response.</summary>
    public async Task<JsonElement> PostAsync(ActorRpcTestServer app, string method, object? parameters = null)
    {
        var body = parameters is null
            ? JsonSerializer.Serialize(new { jsonrpc = "2.0", method, id = 1 })
            : JsonSerializer.Serialize(new { jsonrpc = "2.0", method, @params = parameters, id = 1 });
        using var request = new HttpRequestMessage(HttpMethod.Post, app.HttpUrl) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        foreach (var (name, value) in Headers())
        {
            request.Headers.Add(name, value);
        }

        using var http = app.CreateHttpClient();
        using var response = await http.SendAsync(request).DefaultTimeout();
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return document.RootElement.Clone();
    }

    public override string ToString() => Name ?? "anonymous";

}
