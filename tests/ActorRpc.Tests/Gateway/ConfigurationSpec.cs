using System.Reflection;
using System.Text.Json;
using Akka.Actor;
using ActorRpc.Methods.Definition;
using ActorRpc.Tests.Infrastructure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace ActorRpc.Tests.Gateway;

/// <summary>Options come from appsettings.json, the environment and the command line, the last winning.</summary>
public sealed class ConfigurationSpec
{
    [Fact]
    public async Task Defaults_FromAppSettings_DocumentedValues()
    {
        await using var server = await RpcServer.StartAsync();
        var limits = server.App.Services.GetRequiredService<IOptions<RpcLimitsOptions>>().Value;
        Assert.Equal(1024 * 1024, limits.MaxMessageSize);
        Assert.Equal(1000, limits.MaxBatchSize);
        Assert.False(server.App.Services.GetRequiredService<IOptions<ActorRpcOptions>>().Value.DetailedErrors);
    }

    [Fact]
    public async Task CommandLine_OverridesAppSettings()
    {
        await using var server = await RpcServer.StartAsync(null, "--ActorRpc:Limits:MaxBatchSize=7");
        Assert.Equal(7, server.App.Services.GetRequiredService<IOptions<RpcLimitsOptions>>().Value.MaxBatchSize);
    }

    [Fact]
    public async Task InvalidLimit_FailsAtStartup()
    {
        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => RpcServer.StartAsync(null, "--ActorRpc:Limits:MaxBatchSize=0"));
        Assert.Contains("MaxBatchSize", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--ActorRpc:Limits:MaxNodeHandlers=0", "ActorRpc:Limits:MaxNodeHandlers")]
    [InlineData("--ActorRpc:Limits:MessagesPerSecond=-1", "ActorRpc:Limits:MessagesPerSecond")]
    [InlineData("--ActorRpc:Limits:MessageBurst=-1", "ActorRpc:Limits:MessageBurst")]
    [InlineData("--ActorRpc:Endpoint:MinRequestBodyDataRate=-1", "ActorRpc:Endpoint:MinRequestBodyDataRate")]
    [InlineData("--ActorRpc:Endpoint:CloseTimeout=-00:00:05", "ActorRpc:Endpoint:CloseTimeout")]
    [InlineData("--ActorRpc:Endpoint:KeepAliveTimeout=00:00:00", "ActorRpc:Endpoint:KeepAliveTimeout")]
    [InlineData("--ActorRpc:Endpoint:IdleTimeout=-00:00:01", "ActorRpc:Endpoint:IdleTimeout")]
    [InlineData("--ActorRpc:Endpoint:AllowedOrigins:0=https://app.example.test/", "ActorRpc:Endpoint:AllowedOrigins")]
    [InlineData("--ActorRpc:Endpoint:BinaryMessages=5", "ActorRpc:Endpoint:BinaryMessages")]
    [InlineData("--ActorRpc:Limits:SlowConsumerPolicy=9", "ActorRpc:Limits:SlowConsumerPolicy")]
    [InlineData("--ActorRpc:Limits:MaxPatternTopics=0", "ActorRpc:Limits:MaxPatternTopics")]
    [InlineData("--ActorRpc:Limits:RetainedPatternTopicTtl=00:00:00", "ActorRpc:Limits:RetainedPatternTopicTtl")]
    [InlineData("--ActorRpc:Limits:ClientCallTimeout=00:00:00", "ActorRpc:Limits:ClientCallTimeout")]
    [InlineData("--ActorRpc:Limits:ClientCallTimeout=-00:00:01", "ActorRpc:Limits:ClientCallTimeout")]
    [InlineData("--ActorRpc:Limits:ClientCallTimeout=2.00:00:00", "ActorRpc:Limits:ClientCallTimeout")]
    [InlineData("--ActorRpc:Limits:MaxClientCallsInFlight=0", "ActorRpc:Limits:MaxClientCallsInFlight")]
    [InlineData("--ActorRpc:Protocol:Compatibility=7", "ActorRpc:Protocol:Compatibility")]
    [InlineData("--Cluster:Port=70000", "Cluster:Port")]
    public async Task InvalidSetting_FailsAtStartupNamingIt(string setting, string key)
    {
        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => RpcServer.StartAsync(null, setting));
        Assert.Contains(key, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SubProtocols_Configured_ReplaceTheDefaults()
    {
        await using (var server = await RpcServer.StartAsync())
        {
            Assert.Equal(RpcEndpointOptions.DefaultSubProtocols, server.App.Services.GetRequiredService<IOptions<ActorRpcOptions>>().Value.Endpoint.SubProtocols);
        }

        await using (var server = await RpcServer.StartAsync(null, "--ActorRpc:Endpoint:SubProtocols:0=mine"))
        {
            Assert.Equal(["mine"], server.App.Services.GetRequiredService<IOptions<ActorRpcOptions>>().Value.Endpoint.SubProtocols);
        }
    }

    [Fact]
    public async Task SchedulerTick_DefaultAndConfigured_BecomeTheActorSystemsTick()
    {
        await using (var server = await RpcServer.StartAsync())
        {
            Assert.Equal(TimeSpan.FromMilliseconds(50), SchedulerTick(server));
        }

        await using (var server = await RpcServer.StartAsync(null, "--Cluster:SchedulerTick=00:00:00.020"))
        {
            Assert.Equal(TimeSpan.FromMilliseconds(20), SchedulerTick(server));
        }
    }

    [Fact]
    public async Task SchedulerTick_OutOfRange_FailsAtStartup()
    {
        var error = await Assert.ThrowsAnyAsync<Exception>(() => RpcServer.StartAsync(null, "--Cluster:SchedulerTick=00:00:05"));
        Assert.Contains("Cluster:SchedulerTick", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task MaxFrameSize_BelowAkkasOwn_FailsAtStartup()
    {
        var error = await Assert.ThrowsAnyAsync<Exception>(() => RpcServer.StartAsync(null, "--Cluster:MaxFrameSize=1000"));
        Assert.Contains("Cluster:MaxFrameSize", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task DetailedErrors_On_InternalErrorCarriesTypeAndMessage()
    {
        await using var server = await RpcServer.StartAsync(null, "--ActorRpc:DetailedErrors=true");
        await using var socket = await server.ConnectAsync();
        var error = JsonAssert.Error(await socket.CallAsync("divide", new[] { 1, 0 }), -32603);
        var data = error.GetProperty("data");
        Assert.Equal("System.DivideByZeroException", data.GetProperty("type").GetString());
        Assert.Equal("Attempted to divide by zero.", data.GetProperty("message").GetString());
        Assert.False(data.TryGetProperty("stackTrace", out _));
    }

    [Fact]
    public async Task PrefixSeparator_Configured_MethodsNamedWithIt()
    {
        await using var server = await RpcServer.StartAsync(
            builder => builder.Services.AddActorRpc().AddMethods<SpecExampleMethods>("math"),
            "--ActorRpc:Methods:PrefixSeparator=__");
        await using var socket = await server.ConnectAsync();

        Assert.Equal(19, JsonAssert.Result(await socket.CallAsync("math__subtract", new[] { 42, 23 })).GetInt32());
        var names = JsonAssert.Result(await socket.CallAsync("get_methods")).EnumerateArray().Select(e => e.GetString()).ToList();
        Assert.Contains("math__get_data", names);
        Assert.DoesNotContain("math.subtract", names);
    }

    [Fact]
    public async Task AddMethod_Delegate_CallableWithContext()
    {
        await using var server = await RpcServer.StartAsync(builder => builder.Services.AddActorRpc().AddMethod("call_context", (RpcContext context) => new { context.SessionId, context.Transport, context.RemoteAddress, context.RequestId }));
        await using var socket = await server.ConnectAsync();

        var result = JsonAssert.Result(await socket.CallAsync("call_context"));
        Assert.Equal("websocket", result.GetProperty("transport").GetString());
        Assert.Matches("^[0-9a-f]{8}-[0-9a-f]{32}$", result.GetProperty("sessionId").GetString()); // <node uid>-<guid> (issue 14)
        Assert.StartsWith("127.0.0.1:", result.GetProperty("remoteAddress").GetString(), StringComparison.Ordinal);
        Assert.Equal("1", result.GetProperty("requestId").GetString());
    }

    [Fact]
    public async Task DuplicateMethodName_FailsAtStartup()
    {
        var error = await Assert.ThrowsAnyAsync<Exception>(() => RpcServer.StartAsync(builder =>
            builder.Services.AddActorRpc().AddMethod("ping", () => "again")));
        Assert.Contains("ping", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void AppSettings_ShipsWithTheBinary()
    {
        var path = Path.Combine(AppContext.BaseDirectory, "appsettings.json");
        using var document = JsonDocument.Parse(File.ReadAllText(path));
        Assert.Equal(1048576, document.RootElement.GetProperty("ActorRpc").GetProperty("Limits").GetProperty("MaxMessageSize").GetInt32());
    }

    [Fact]
    public void AppSettings_WritesOutEveryLimitAndEndpointDefault()
    {
        // The README promises the demo's appsettings.json writes out every ActorRpc default: a new
        // option missing from it (or a default changed in one place only) fails here.
        var configuration = new ConfigurationBuilder()
            .AddJsonFile(Path.Combine(AppContext.BaseDirectory, "appsettings.json"), optional: false, reloadOnChange: false)
            .Build();
        AssertWritesOutDefaults<RpcLimitsOptions>(configuration.GetSection("ActorRpc:Limits"));
        AssertWritesOutDefaults<RpcEndpointOptions>(configuration.GetSection("ActorRpc:Endpoint"));
    }

    private static void AssertWritesOutDefaults<TOptions>(IConfigurationSection section)
        where TOptions : new()
    {
        var written = section.GetChildren().Select(child => child.Key).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var bound = section.Get<TOptions>() ?? new TOptions();
        var defaults = new TOptions();
        foreach (var property in typeof(TOptions).GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.SetMethod is { IsPublic: true }))
        {
            Assert.True(written.Contains(property.Name), $"appsettings.json lacks {section.Path}:{property.Name}.");
            Assert.True(
                Equals(property.GetValue(defaults), property.GetValue(bound)),
                $"appsettings.json has {section.Path}:{property.Name} = {property.GetValue(bound)}, the default is {property.GetValue(defaults)}.");
        }
    }

    private static TimeSpan SchedulerTick(RpcServer server) =>
        server.App.Services.GetRequiredService<ActorSystem>().Settings.Config.GetTimeSpan("akka.scheduler.tick-duration", null);
}
