using ActorRpc.Bench.StreamJsonRpcServer;
using StreamJsonRpc;

// StreamJsonRpc over Kestrel WebSockets, the way its docs put it together: one JsonRpc per
// connection over a WebSocketMessageHandler with the System.Text.Json formatter, and a target
// object with the same methods bench/Load calls on ActorRpc (ping, echo, subscribe, publish).
// Run: dotnet ActorRpc.Bench.StreamJsonRpcServer.dll --urls http://127.0.0.1:PORT (WebSocket at /rpc).
var builder = WebApplication.CreateSlimBuilder(args);
builder.Logging.SetMinimumLevel(LogLevel.Warning);
var app = builder.Build();
app.UseWebSockets(new WebSocketOptions { KeepAliveInterval = TimeSpan.Zero });
var hub = new SubscriberHub();

app.MapGet("/healthz", () => "ok");
app.Map("/rpc", async context =>
{
    if (!context.WebSockets.IsWebSocketRequest)
    {
        context.Response.StatusCode = StatusCodes.Status400BadRequest;
        return;
    }

    using var socket = await context.WebSockets.AcceptWebSocketAsync().ConfigureAwait(false);
    using var handler = new WebSocketMessageHandler(socket, new SystemTextJsonFormatter());
    using var rpc = new JsonRpc(handler);
    rpc.AddLocalRpcTarget(new BenchTarget(rpc, hub), new JsonRpcTargetOptions { MethodNameTransform = CommonMethodNameTransforms.CamelCase });
    rpc.StartListening();
    try
    {
        await rpc.Completion.ConfigureAwait(false);
    }
    catch (Exception)
    {
        // A dropped client ends Completion with its error; the connection is gone either way.
    }
    finally
    {
        hub.Remove(rpc);
    }
});

await app.RunAsync().ConfigureAwait(false);
