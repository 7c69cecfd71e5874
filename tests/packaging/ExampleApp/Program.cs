using ActorRpc;

var builder = WebApplication.CreateBuilder(args);
builder.Services.AddActorRpc()                       // options from the "ActorRpc" configuration section
    .AddMethods<Calc>("calc")                         // calc.twice
    .AddMethod("hello", (string name) => $"Hello {name}")
    .AddTopic("ticks");
var app = builder.Build();
app.MapActorRpc("/rpc");                              // WebSocket and POST on the same path
app.MapPost("/tick", (ITopicPublisher publisher) => publisher.Publish("ticks", new { n = 1 }));
app.Run();

public sealed class Calc { [RpcMethod] public static long Twice(long x) => 2 * x; }
