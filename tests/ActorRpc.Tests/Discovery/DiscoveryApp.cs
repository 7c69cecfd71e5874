using System.ComponentModel;
using System.Text.Json;
using Akka.Actor;
using ActorRpc.Testing;
using ActorRpc.Tests.Security;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
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

/// <summary>A linked list: the exporter writes its recursion as a pointer.</summary>
public sealed record Node(int Value, Node? Next);

/// <summary>Two lists of the same type: the exporter writes the second as a pointer to the first.</summary>
public sealed record Pair(Address[] Home, Address[] Work);

/// <summary>A tree whose children point back at the whole tree (<c>"#"</c>).</summary>
public sealed record Tree(string Label, Tree[] Children);

[ProducesRpcError(-32040, "Shop-wide stock error")]
[ProducesRpcError(-32045, "Shop closed")]
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
    [EndpointSummary("Counts.")]
    [EndpointDescription("From one.")]
    [Description("Not the summary: EndpointSummary comes first.")]
    public static int Count() => 1;

    [RpcMethod]
    public static Node Chain(Node head) => head;

    [RpcMethod]
    public static int Route(Pair pair) => pair.Home.Length + pair.Work.Length;

    [RpcMethod]
    public static int RouteByName([RpcParams] Pair pair) => pair.Home.Length + pair.Work.Length;

    [RpcMethod]
    public static int Walk([RpcParams] Node node) => node.Value;

    [RpcMethod]
    public static int Grow([RpcParams] Tree tree) => tree.Children.Length;

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
