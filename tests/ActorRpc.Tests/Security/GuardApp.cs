using System.Text.Json;
using ActorRpc.Testing;
using ActorRpc.Tests.Infrastructure;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace ActorRpc.Tests.Security;

/// <summary>
/// A test server (the kit's <see cref="ActorRpcTestServer"/>) with the test header scheme as its only
/// authentication, the policies a spec declares, and ActorRpc at <c>/rpc</c>: what every guard spec starts.
/// </summary>
internal static class GuardApp
{
    public static Task<ActorRpcTestServer> StartAsync(
        Action<IActorRpcBuilder> rpc,
        Action<AuthorizationOptions>? policies = null,
        Action<IServiceCollection>? services = null,
        IReadOnlyDictionary<string, string>? settings = null) =>
        ActorRpcTestServer.StartAsync(rpc, options =>
        {
            foreach (var (key, value) in settings ?? new Dictionary<string, string>())
            {
                options.Settings[key] = value;
            }

            options.ConfigureBuilder = builder => AddAuthentication(builder, policies, services);
        });

    /// <summary>Builds without starting, for start-up failures.</summary>
    public static WebApplication Build(Action<IActorRpcBuilder> rpc, Action<AuthorizationOptions>? policies = null, params string[] args) =>
        LibraryApp.Build(
            builder =>
            {
                AddAuthentication(builder, policies, null);
                rpc(builder.Services.AddActorRpc());
            },
            web => web.MapActorRpc("/rpc"),
            args,
            out _);

    private static void AddAuthentication(WebApplicationBuilder builder, Action<AuthorizationOptions>? policies, Action<IServiceCollection>? services)
    {
        builder.Services.AddAuthentication(HeaderAuthenticationHandler.SchemeName)
            .AddScheme<AuthenticationSchemeOptions, HeaderAuthenticationHandler>(HeaderAuthenticationHandler.SchemeName, null);
        builder.Services.AddAuthorization(options => policies?.Invoke(options));
        services?.Invoke(builder.Services);
    }
}

/// <summary>One guarded application shared by the tests of a class; subclasses declare what it serves.</summary>
public abstract class GuardAppFixture : IAsyncLifetime
{
    private ActorRpcTestServer? _app;

    public ActorRpcTestServer App => _app ?? throw new InvalidOperationException("The application is not started.");

    public async Task InitializeAsync() => _app = await GuardApp.StartAsync(Register, Policies, Services);

    public async Task DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }
    }

    protected abstract void Register(IActorRpcBuilder rpc);

    protected virtual void Policies(AuthorizationOptions options)
    {
    }

    protected virtual void Services(IServiceCollection services)
    {
    }
}

/// <summary>The two refusals of issue 13, exactly as clients see them.</summary>
internal static class GuardAssert
{
    /// <summary>-32010 "Authentication required", without data.</summary>
    public static void AuthenticationRequired(JsonElement response) =>
        Refused(response, -32010, "Authentication required");

    /// <summary>-32011 "Not permitted", without data.</summary>
    public static void NotPermitted(JsonElement response) =>
        Refused(response, -32011, "Not permitted");

    /// <summary>-32010 for <paramref name="caller"/> when anonymous, -32011 otherwise.</summary>
    public static void RefusedFor(TestCaller caller, JsonElement response)
    {
        if (caller.Name is null)
        {
            AuthenticationRequired(response);
        }
        else
        {
            NotPermitted(response);
        }
    }

    /// <summary>The call ran: a result, whatever it is.</summary>
    public static JsonElement Allowed(JsonElement response) => JsonAssert.Result(response);

    private static void Refused(JsonElement response, int code, string message)
    {
        var error = JsonAssert.Error(response, code);
        Assert.Equal(message, error.GetProperty("message").GetString());
        Assert.False(error.TryGetProperty("data", out var data), $"A refusal carries no data, but got {data}");
    }
}
