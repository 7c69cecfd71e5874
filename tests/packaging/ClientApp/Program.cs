// The test kit and the .NET client from their packages, as a user's own test would use them: a
// node with one method and one topic, a client that calls, subscribes and answers the server.
using ActorRpc;
using ActorRpc.Client;
using ActorRpc.Testing;
using Microsoft.Extensions.DependencyInjection;   // AddMethod, AddTopic (as in any test project)

using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(60));
await using var server = await ActorRpcTestServer.StartAsync(rpc => rpc
    .AddMethod("add", (long a, long b) => a + b)
    .AddMethod("ask", (RpcContext context, string question) => context.Client.CallAsync<string>("answer", new[] { question }))
    .AddTopic("ticks"));
await using var client = await server.ConnectAsync();
client.AddMethod("answer", (string question) => question + "!");

var sum = await client.CallAsync<long>("add", 2, 3);
var answer = await client.CallAsync<string>("ask", "ready");
await using var ticks = await client.SubscribeAsync<Tick>("ticks", deadline.Token);
await using var next = ticks.GetAsyncEnumerator(deadline.Token);
server.Publisher.Publish("ticks", new Tick(1));
var arrived = next.MoveNextAsync().AsTask();

Console.WriteLine($"sum={sum} answer={answer} tick={(await arrived ? next.Current.N : -1)}");

public sealed record Tick(int N);
