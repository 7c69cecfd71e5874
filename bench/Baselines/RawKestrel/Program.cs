// The raw ceiling for bench/Load: Kestrel's WebSockets and nothing else. No JSON library and no
// dispatch: a frame is classified by a byte search for its "method" member.
//   publish   → the frame's own bytes go to every subscriber (one buffer, no copy, no re-encoding),
//               so the load tool still finds its sequence number and send time in them;
//   subscribe → canned {"result":true} and the connection joins the subscriber list;
//   otherwise → canned {"result":"pong"} with the request's id bytes spliced in.
// Run: dotnet ActorRpc.Bench.RawKestrel.dll --urls http://127.0.0.1:PORT (WebSocket at /rpc).
var builder = WebApplication.CreateSlimBuilder(args);
builder.Logging.SetMinimumLevel(LogLevel.Warning);
var app = builder.Build();
app.UseWebSockets(new WebSocketOptions { KeepAliveInterval = TimeSpan.Zero });
var subscribers = new Subscribers();

app.MapGet("/healthz", () => "ok");
app.Map("/rpc", async context =>
{
    if (!context.WebSockets.IsWebSocketRequest)
    {
        context.Response.StatusCode = StatusCodes.Status400BadRequest;
        return;
    }

    using var socket = await context.WebSockets.AcceptWebSocketAsync().ConfigureAwait(false);
    await RawConnection.RunAsync(socket, subscribers, context.RequestAborted).ConfigureAwait(false);
});

await app.RunAsync().ConfigureAwait(false);
