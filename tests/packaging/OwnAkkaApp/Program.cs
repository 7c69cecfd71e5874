using ActorRpc;
using Akka.Actor;
using Akka.Hosting;

var builder = WebApplication.CreateBuilder(args);

// The application's own actor system; ActorRpc's actors join it.
builder.Services.AddAkka("shop", (akka, services) => akka
    .WithActorRpcCluster(new ClusterNodeOptions())
    .WithActorRpc()
    .WithActors((system, registry) => registry.Register<Announcer>(system.ActorOf(Props.Create(() => new Announcer()), "announcer"))));
builder.Services.AddActorRpc()
    .AddMethods<Calc>("calc")
    .AddMethod("hello", (string name) => $"Hello {name}")
    .AddActorMethod("shout", Props.Create(() => new Shouter()))
    .AddTopic("ticks");

var app = builder.Build();
app.MapActorRpc("/rpc");
app.MapPost("/tick", (ITopicPublisher publisher) => publisher.Publish("ticks", new { n = 1 }));
app.MapPost("/announce", async (ActorRegistry registry) => (await registry.GetAsync<Announcer>()).Tell("sale"));
app.Run();

public sealed class Calc { [RpcMethod] public static long Twice(long x) => 2 * x; }

/// <summary>An application actor that publishes through ActorRpc's actor-system extension.</summary>
public sealed class Announcer : ReceiveActor
{
    public Announcer() => Receive<string>(said => RpcTopics.Get(Context.System).Publish("ticks", new { said }));
}

/// <summary>A method served by an actor: one per call, supervised by ActorRpc's router.</summary>
public sealed class Shouter : ReceiveActor
{
    public Shouter() => Receive<RpcInvocation>(call => Sender.Tell(new RpcReply(call.Params!.Value[0].GetString()!.ToUpperInvariant())));
}
