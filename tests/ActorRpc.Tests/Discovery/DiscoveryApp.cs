using System.ComponentModel;
using System.Text.Json;
using Akka.Actor;
using ActorRpc.Testing;
using ActorRpc.Tests.Security;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.DependencyInjection;

namespace ActorRpc.Tests.Discovery;

/// <summary>
/// A node whose methods use the types a document has to describe: integers, strings, records,
/// nullables, arrays, defaults, a whole-params record, a delegate, an actor, guarded methods and topics.
/// </summary>
public sealed class DiscoveryAppFixture : IAsyncLifetime
{
    public const string Title = "Discovery test shop";

    private ActorRpcTestServer? _app;

    public ActorRpcTestServer App => _app ?? throw new InvalidOperationException("The application is not started.");

    public async Task InitializeAsync() => _app = await GuardApp.StartAsync(
        Register,
        settings: new Dictionary<string, string>
        {
            ["ActorRpc:Discovery:Title"] = Title,
            ["ActorRpc:Discovery:Version"] = "2.5.0",
            ["ActorRpc:Discovery:Description"] = "Orders and jobs.",
        });

    public async Task DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }
    }

    /// <summary>The document as <paramref name="caller"/> gets it.</summary>
    public async Task<JsonElement> DiscoverAsync(TestCaller caller) => GuardAssert.Allowed(await caller.CallAsync(App, "rpc.discover"));

    private static void Register(IActorRpcBuilder rpc) => rpc
        .AddMethods<ShopMethods>("shop")
        .AddMethod("shout", (string text) => text.ToUpperInvariant()).WithSummary("Shouts the text.").WithDescription("In capitals.").ProducesRpcError(-32041, "Too loud")
        .AddMethod("secret", [Authorize] () => 42)
        .AddActorMethod("job", Props.Create(() => new JobActor())).RequirePermission("jobs.run")
        .AddTopic("clock", topic => topic.Summary = "A tick each second.")
        .AddTopic("staff", topic => topic.RequireAuthorization())
        .AddTopicPattern("orders.*");
}

/// <summary>A shipping address.</summary>
public sealed record Address(string Street, [property: Description("The postal code, when the country has them.")] string? Zip);

public sealed record Receipt(long Id, IReadOnlyList<string> Lines, Address ShipTo);

public sealed record GreetRequest(string Name, int Times = 1);

public sealed class ShopMethods
{
    [RpcMethod]
    [Description("Places an order.")]
    [ProducesRpcError(-32040, "Out of stock")]
    [ProducesRpcError(-32043, "Address refused")]
    public static Task<Receipt?> PlaceOrderAsync(
        [Description("How many to order.")] int quantity,
        string sku,
        Address shipTo,
        RpcContext context,
        CancellationToken cancellationToken,
        string? note = null,
        int[]? tags = null,
        int retries = 3) =>
        Task.FromResult<Receipt?>(new Receipt(1, [sku], shipTo));

    [RpcMethod]
    public static void Forget()
    {
    }

    [RpcMethod]
    public static int? Maybe(long? value) => value is null ? null : 1;

    [RpcMethod]
    public static string Greet([RpcParams] GreetRequest request) => string.Concat(Enumerable.Repeat(request.Name, request.Times));

    [RpcMethod]
    public static JsonElement Anything([RpcParams] JsonElement parameters) => parameters;
}

[Description("Runs a job.")]
[ProducesRpcError(-32042, "Job failed")]
public sealed class JobActor : ReceiveActor
{
    public JobActor() => Receive<RpcInvocation>(_ => Sender.Tell(new RpcReply("done")));
}
