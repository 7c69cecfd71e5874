using System.Text.Json;
using System.Threading.Channels;
using ActorRpc.Testing;
using ActorRpc.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace ActorRpc.Tests.ClientCalls;

/// <summary>
/// A test-kit node whose methods call back their caller's client (issue 14), with the raw
/// <see cref="RpcTestSocket"/> of a test as that client. <c>try_ask</c> answers, and records in the
/// <see cref="ClientCallProbe"/>, how its call to the client ended, so a test sees it even when the
/// caller's connection is gone.
/// </summary>
internal static class ClientCallApp
{
    /// <param name="probe">Where <c>try_ask</c> records its outcomes.</param>
    /// <param name="settings">Settings as on a command line: <c>--ActorRpc:Limits:ClientCallTimeout=00:05:00</c>.</param>
    public static Task<ActorRpcTestServer> StartAsync(ClientCallProbe probe, params string[] settings) => ActorRpcTestServer.StartAsync(
        rpc => rpc
            .AddMethod("ping", () => "pong")
            .AddMethod("session_id", (RpcContext context) => context.SessionId)
            .AddMethod("ask_sum", async (RpcContext context, CancellationToken token) => await context.Client.CallAsync<long>("sum", new[] { 2, 3 }, token) * 10)
            .AddMethod("ask_named", async (RpcContext context, CancellationToken token) =>
            {
                var greeting = await context.Client.CallAsync<Greeting>("greet", new { name = "Ada", times = 2 }, token);
                return $"{greeting!.Text}/{greeting.Length}";
            })
            .AddMethod("ask_none", async (RpcContext context, CancellationToken token) => await context.Client.CallAsync<string>("version", null, token))
            .AddMethod("try_ask", (string method, RpcContext context, CancellationToken token) =>
                probe.RecordAsync(() => context.Client.CallAsync(method, null, token)))
            // Without the handler's token, which a closing connection cancels as well: the call must end by itself.
            .AddMethod("try_ask_untied", (string method, RpcContext context) =>
                probe.RecordAsync(() => context.Client.CallAsync(method)))
            .AddMethod("notify_me", async (string text, RpcContext context) =>
            {
                await context.Client.NotifyAsync("hello", new[] { text });
                return true;
            }),
        options =>
        {
            foreach (var setting in settings)
            {
                var (key, value) = (setting.TrimStart('-').Split('=', 2)[0], setting.Split('=', 2)[1]);
                options.Settings[key] = value;
            }

            // From outside any handler: an endpoint that calls a client by its session id.
            options.ConfigureApp = web => web.MapGet("/ask/{session}/{method}", async (string session, string method, IRpcClients clients) =>
                await clients.Get(session).CallAsync<string>(method, new[] { "from outside" }) ?? "null");
        });

    /// <summary>Reads <paramref name="count"/> frames, in whatever order they come.</summary>
    public static async Task<List<JsonElement>> ReceiveAsync(RpcTestSocket socket, int count)
    {
        var frames = new List<JsonElement>();
        for (var i = 0; i < count; i++)
        {
            frames.Add(await socket.ReceiveJsonAsync());
        }

        return frames;
    }

    /// <summary>Whether a frame is a request from the server (a string id and a method).</summary>
    public static bool IsServerRequest(JsonElement frame) =>
        frame.ValueKind == JsonValueKind.Object
        && frame.TryGetProperty("method", out _)
        && frame.TryGetProperty("id", out var id)
        && id.ValueKind == JsonValueKind.String;

    public static Task SendResultAsync(RpcTestSocket socket, string serverId, string resultJson) =>
        socket.SendAsync($$"""{"jsonrpc":"2.0","id":"{{serverId}}","result":{{resultJson}}}""");
}

/// <summary>What the client answers <c>greet</c> in the named-params test.</summary>
internal sealed record Greeting(string Text, int Length);

/// <summary>How one call of <c>try_ask</c> to its client ended: its result, or the exception it threw.</summary>
internal sealed record AskOutcome(bool Ok, JsonElement? Result, string? Exception, string? Message, int? Code, JsonElement? Data, string? ClientMethod);

/// <summary>Where <c>try_ask</c> records each outcome, in order.</summary>
internal sealed class ClientCallProbe
{
    private readonly Channel<AskOutcome> _outcomes = Channel.CreateUnbounded<AskOutcome>();

    public async Task<AskOutcome> RecordAsync(Func<Task<JsonElement>> call)
    {
        AskOutcome outcome;
        try
        {
            outcome = new AskOutcome(true, await call(), null, null, null, null, null);
        }
        catch (RpcClientException ex)
        {
            outcome = new AskOutcome(false, null, ex.GetType().Name, ex.Message, ex.Code, ex.ErrorData, ex.Method);
        }
        catch (Exception ex)
        {
            outcome = new AskOutcome(false, null, ex.GetType().Name, ex.Message, null, null, null);
        }

        _outcomes.Writer.TryWrite(outcome);
        return outcome;
    }

    public async Task<AskOutcome> NextAsync()
    {
        using var cts = new CancellationTokenSource(TestTimeouts.Long);
        return await _outcomes.Reader.ReadAsync(cts.Token);
    }
}
