using System.Text.Json;
using Akka.Actor;
using ActorRpc.Tests.Infrastructure;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace ActorRpc.Tests.Cluster;

/// <summary>
/// Issue 13: a guarded method hosted on nodes of a role, called with a JWT on a node without the
/// role. The caller's claims cross with the call, the hosting node evaluates the guard, and the
/// handler sees the same user as the node the client is connected to.
/// </summary>
public sealed class RoleMethodAuthorizationSpec(RoleMethodAuthorizationSpec.SecureCluster cluster) : IClassFixture<RoleMethodAuthorizationSpec.SecureCluster>
{
    [Fact]
    public async Task RoleMethod_CalledWithTokenOnNodeWithoutRole_HandlerOnRoleNodeSeesSameUser()
    {
        await using var socket = await cluster.ConnectAsync(TestTokens.Mint("alice", permissions: ["orders.read", "orders.write"], roles: ["admin", "ops"]));

        var here = JsonAssert.Result(await socket.CallAsync("whoami_here"));
        var there = JsonAssert.Result(await socket.CallAsync("secure.whoami"));

        Assert.Equal(cluster.ConnectedNode, here.GetProperty("node").GetString());
        Assert.Equal(cluster.SecureNode, there.GetProperty("node").GetString());
        Assert.True(there.GetProperty("authenticated").GetBoolean());
        Assert.Equal("alice", there.GetProperty("name").GetString());
        Assert.Equal<string>(["admin", "ops"], Strings(there.GetProperty("roles")));
        Assert.True(there.GetProperty("isAdmin").GetBoolean());
        Assert.Equal<string>(["orders.read", "orders.write"], Strings(there.GetProperty("permissions")));
        foreach (var field in new[] { "authenticated", "name", "roles", "isAdmin", "permissions" })
        {
            Assert.Equal(here.GetProperty(field).GetRawText(), there.GetProperty(field).GetRawText());
        }

        // A role guard is evaluated there too, with the role claim type the identity crossed with.
        Assert.Equal("alice", JsonAssert.Result(await socket.CallAsync("secure.admins_only")).GetString());
    }

    [Fact]
    public async Task RoleMethod_UserWithoutPermissionOrRole_NotPermitted()
    {
        await using var socket = await cluster.ConnectAsync(TestTokens.Mint("bob", permissions: ["orders.read"], roles: ["ops"]));

        JsonAssert.Error(await socket.CallAsync("secure.whoami"), -32011);
        JsonAssert.Error(await socket.CallAsync("secure.admins_only"), -32011);
        Assert.Equal("bob", JsonAssert.Result(await socket.CallAsync("whoami_here")).GetProperty("name").GetString());
    }

    [Fact]
    public async Task RoleMethod_AnonymousCaller_AuthenticationRequired()
    {
        await using var socket = await cluster.Nodes[0].ConnectAsync();

        JsonAssert.Error(await socket.CallAsync("secure.whoami"), -32010);
        JsonAssert.Error(await socket.CallAsync("secure.admins_only"), -32010);
        Assert.False(JsonAssert.Result(await socket.CallAsync("whoami_here")).GetProperty("authenticated").GetBoolean());
    }

    private static string[] Strings(JsonElement array) => [.. array.EnumerateArray().Select(e => e.GetString() ?? "(null)")];

    /// <summary>
    /// Two nodes that accept <see cref="TestTokens"/>' JWTs: node 0 (clients connect here) without
    /// the role, node 1 with role <c>secure</c>, which hosts <see cref="SecureMethods"/>.
    /// </summary>
    public sealed class SecureCluster : IAsyncLifetime
    {
        private ClusterNodes? _nodes;

        public ClusterNodes Nodes => _nodes!;

        public string ConnectedNode => AddressOf(Nodes[0]);

        public string SecureNode => AddressOf(Nodes[1]);

        public async Task InitializeAsync() => _nodes = await ClusterNodes.StartAsync(
            2,
            configure: _ => Configure,
            settings: node => node == 1 ? [.. TestTokens.BearerArguments(), "--Cluster:Roles:0=secure"] : TestTokens.BearerArguments());

        public Task<RpcTestSocket> ConnectAsync(string token) =>
            RpcTestSocket.ConnectAsync(Nodes[0].WebSocketUri, options => options.SetRequestHeader("Authorization", $"Bearer {token}"));

        public async Task DisposeAsync()
        {
            if (_nodes is not null)
            {
                await _nodes.DisposeAsync();
            }
        }

        private static string AddressOf(RpcServer node) => Akka.Cluster.Cluster.Get(ClusterNodes.SystemOf(node)).SelfAddress.ToString();

        private static void Configure(WebApplicationBuilder builder)
        {
            // Bound by ASP.NET Core from Authentication:Schemes:Bearer (issuer, audience, signing key).
            // Only if the demo node has not turned it on from that section already: a scheme is added once.
            if (!builder.Services.Any(service => service.ServiceType == typeof(JwtBearerHandler)))
            {
                builder.Services.AddAuthentication().AddJwtBearer();
            }

            builder.Services.AddActorRpc()
                .AddMethods<SecureMethods>(role: SecureMethods.Role)
                .AddMethod("whoami_here", (RpcContext context) => SecureMethods.Describe(context));
        }
    }

    /// <summary>Guarded methods hosted on the nodes of role <see cref="Role"/>.</summary>
    public sealed class SecureMethods
    {
        public const string Role = "secure";

        [RpcMethod("secure.whoami")]
        [RequirePermission("orders.write")]
        public static object WhoAmI(RpcContext context) => Describe(context);

        [RpcMethod("secure.admins_only")]
        [Authorize(Roles = "admin")]
        public static string? AdminsOnly(RpcContext context) => context.User.Identity?.Name;

        /// <summary>The caller as the handler sees it, and the node it runs on.</summary>
        public static object Describe(RpcContext context) => new
        {
            node = Akka.Cluster.Cluster.Get(context.Services.GetRequiredService<ActorSystem>()).SelfAddress.ToString(),
            authenticated = context.User.Identity?.IsAuthenticated ?? false,
            name = context.User.Identity?.Name,
            roles = context.User.Identities.SelectMany(identity => identity.FindAll(identity.RoleClaimType)).Select(claim => claim.Value).Order(StringComparer.Ordinal).ToArray(),
            isAdmin = context.User.IsInRole("admin"),
            permissions = context.User.FindAll("permission").Select(claim => claim.Value).Order(StringComparer.Ordinal).ToArray(),
        };
    }
}
