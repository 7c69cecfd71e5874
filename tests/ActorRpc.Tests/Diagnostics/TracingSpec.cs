using System.Collections.Concurrent;
using System.Diagnostics;
using Akka.Actor;
using ActorRpc.Methods.Definition;
using ActorRpc.Tests.Cluster;
using ActorRpc.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace ActorRpc.Tests.Diagnostics;

/// <summary>Spans of the "ActorRpc" source: one per request where it arrives, one for its handler where it runs.</summary>
[Collection(DiagnosticsCollection.Name)]
public sealed class TracingSpec : IDisposable
{
    private readonly ConcurrentQueue<Activity> _stopped = new();
    private readonly ActivityListener _listener;

    public TracingSpec()
    {
        _listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == "ActorRpc",
            Sample = static (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = _stopped.Enqueue,
        };
        ActivitySource.AddActivityListener(_listener);
    }

    public void Dispose() => _listener.Dispose();

    [Fact]
    public async Task Call_LocalMethod_ServerSpanWithHandlerSpanAsChildAndCurrentInHandler()
    {
        await using var server = await RpcServer.StartAsync(AddMethods);
        await using var socket = await server.ConnectAsync();

        var seen = JsonAssert.Result(await socket.CallAsync("current_span"));

        var request = await SpanAsync(a => a.Kind == ActivityKind.Server && a.OperationName == "current_span");
        var handler = await SpanAsync(a => a.OperationName == "handle current_span");
        Assert.Equal("jsonrpc", request.GetTagItem("rpc.system"));
        Assert.Equal("current_span", request.GetTagItem("rpc.method"));
        Assert.Equal("1", request.GetTagItem("rpc.jsonrpc.request_id"));
        Assert.NotNull(request.GetTagItem("actorrpc.session_id"));
        Assert.Equal(request.TraceId, handler.TraceId);
        Assert.Equal(request.SpanId, handler.ParentSpanId);
        Assert.Equal(ActivityKind.Internal, handler.Kind);

        // The handler's own code ran under the handler span.
        Assert.Equal(handler.TraceId.ToHexString(), seen.GetProperty("trace").GetString());
        Assert.Equal(handler.SpanId.ToHexString(), seen.GetProperty("span").GetString());
    }

    [Fact]
    public async Task Call_FailingAndUnknownMethods_ErrorStatusAndFoldedMethodName()
    {
        await using var server = await RpcServer.StartAsync();
        await using var socket = await server.ConnectAsync();

        JsonAssert.Error(await socket.CallAsync("computer_says_no"), -32050);
        JsonAssert.Error(await socket.CallAsync("zzz-client-chosen"), -32601);

        var handler = await SpanAsync(a => a.OperationName == "handle computer_says_no");
        Assert.Equal(ActivityStatusCode.Error, handler.Status);
        Assert.Equal(-32050, handler.GetTagItem("rpc.jsonrpc.error_code"));
        var unknown = await SpanAsync(a => a.Kind == ActivityKind.Server && Equals(a.GetTagItem("rpc.jsonrpc.request_id"), "2"));
        Assert.Equal("(unknown)", unknown.OperationName);
        Assert.Equal("(unknown)", unknown.GetTagItem("rpc.method"));
        Assert.Equal(ActivityStatusCode.Error, unknown.Status);
    }

    [Fact]
    public async Task Call_RoleMethodOnOtherNode_HandlerSpanThereContinuesTheSessionsTrace()
    {
        await using var cluster = await ClusterNodes.StartAsync(
            2,
            configure: _ => AddMethods,
            settings: node => node == 1 ? ["--Cluster:Roles:0=compute"] : []);
        var computeNode = Akka.Cluster.Cluster.Get(ClusterNodes.SystemOf(cluster[1])).SelfAddress.ToString();
        await using var socket = await cluster[0].ConnectAsync();

        var seen = JsonAssert.Result(await socket.CallAsync("remote_span"));

        var request = await SpanAsync(a => a.Kind == ActivityKind.Server && a.OperationName == "remote_span");
        var handler = await SpanAsync(a => a.OperationName == "handle remote_span");
        Assert.Equal(computeNode, seen.GetProperty("node").GetString());
        Assert.Equal(request.TraceId, handler.TraceId);
        Assert.Equal(request.SpanId, handler.ParentSpanId);
        Assert.Equal(ActivityKind.Server, handler.Kind); // its parent came from another node
        Assert.Equal(request.TraceId.ToHexString(), seen.GetProperty("trace").GetString());
        Assert.Equal(handler.SpanId.ToHexString(), seen.GetProperty("span").GetString());
    }

    private async Task<Activity> SpanAsync(Func<Activity, bool> match)
    {
        Activity? found = null;
        await Eventually.AssertAsync(() =>
        {
            found = _stopped.LastOrDefault(match);
            Assert.True(found is not null, $"No such span among: {string.Join(", ", _stopped.Select(a => $"{a.Kind} {a.OperationName}"))}");
        });
        return found!;
    }

    private static void AddMethods(WebApplicationBuilder builder) => builder.Services.AddActorRpc()
        .AddMethod("current_span", () => new
        {
            trace = Activity.Current?.TraceId.ToHexString(),
            span = Activity.Current?.SpanId.ToHexString(),
        })
        .AddMethod(
            "remote_span",
            (RpcContext context) => new
            {
                node = Akka.Cluster.Cluster.Get(context.Services.GetRequiredService<ActorSystem>()).SelfAddress.ToString(),
                trace = Activity.Current?.TraceId.ToHexString(),
                span = Activity.Current?.SpanId.ToHexString(),
            },
            role: "compute");
}
