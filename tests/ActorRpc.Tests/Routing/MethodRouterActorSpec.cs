using System.Text;
using System.Text.Json;
using Akka.Actor;
using ActorRpc.Actors.Routing;
using ActorRpc.Methods.Definition;
using Microsoft.Extensions.DependencyInjection;

namespace ActorRpc.Tests.Routing;

/// <summary>
/// The router's supervision: whatever a handler does (throw, crash its actor, fail in its
/// constructor, stop without replying), the call gets exactly one error reply and the router
/// goes on serving.
/// </summary>
public sealed class MethodRouterActorSpec : Akka.TestKit.Xunit2.TestKit
{
    private static readonly IServiceProvider Services = new ServiceCollection().BuildServiceProvider();
    private static readonly RouterSettings Settings = new(RpcMethodsOptions.CreateDefaultSerializerOptions(), DetailedErrors: false, Services, TimeSpan.FromSeconds(30), Infrastructure.TestMetrics.Create());
    private long _sequence;

    [Fact]
    public void TaskHandler_Throws_InternalErrorAndRouterKeepsServing()
    {
        var calls = 0;
        var router = RouterFor(Delegate("flaky", (int x) => ++calls == 1 ? throw new InvalidOperationException("boom") : x * 2));

        var failed = Call(router, "[1]");
        AssertError(failed, -32603);

        var succeeded = Call(router, "[21]");
        Assert.Equal(42, Parse(succeeded).GetProperty("result").GetInt32());
    }

    [Fact]
    public void TaskHandler_RpcException_ItsCodeMessageAndData()
    {
        var router = RouterFor(Delegate("no", new Action(() => throw new RpcException(-32042, "Nope.", new { reason = "test" }))));
        var error = AssertError(Call(router, null), -32042);
        Assert.Equal("Nope.", error.GetProperty("message").GetString());
        Assert.Equal("test", error.GetProperty("data").GetProperty("reason").GetString());
    }

    [Fact]
    public void TaskHandler_Notification_CompletesWithoutFrame()
    {
        var router = RouterFor(Delegate("fire", new Action(() => throw new InvalidOperationException("ignored"))));
        router.Tell(new RouterProtocol.Invoke(NewCall("fire", id: null, parameters: null), TestActor));
        var completed = ExpectMsg<RouterProtocol.InvocationCompleted>();
        Assert.Null(completed.Frame);
    }

    [Fact]
    public void ActorHandler_Replies_ResultFrame()
    {
        var router = RouterFor(new RpcMethodDescriptor("double", new ActorMethodHandler(Props.Create(() => new DoublingHandler()))));
        Assert.Equal(14, Parse(Call(router, "[7]")).GetProperty("result").GetInt32());
    }

    [Fact]
    public void ActorHandler_CrashesWhileHandling_InternalErrorAndRouterKeepsServing()
    {
        var router = RouterFor(new RpcMethodDescriptor("crash", new ActorMethodHandler(Props.Create(() => new CrashingHandler()))));
        Watch(router);

        AssertError(Call(router, """{"crash":true}"""), -32603);
        AssertError(Call(router, """{"crash":true}"""), -32603);
        Assert.Equal("fine", Parse(Call(router, """{"crash":false}""")).GetProperty("result").GetString());
        ExpectNoMsg(TimeSpan.FromMilliseconds(100)); // in particular, no Terminated for the router
    }

    [Fact]
    public void ActorHandler_ThrowsRpcException_ItsCode()
    {
        var router = RouterFor(new RpcMethodDescriptor("refuse", new ActorMethodHandler(Props.Create(() => new RefusingHandler()))));
        var error = AssertError(Call(router, null), -32077);
        Assert.Equal("Refused by actor.", error.GetProperty("message").GetString());
    }

    [Fact]
    public void ActorHandler_ConstructorThrows_InternalError()
    {
        var router = RouterFor(new RpcMethodDescriptor("broken", new ActorMethodHandler(Props.Create(() => new UnconstructableHandler()))));
        AssertError(Call(router, null), -32603);
    }

    [Fact]
    public void ActorHandler_StopsWithoutReplying_InternalError()
    {
        var router = RouterFor(new RpcMethodDescriptor("quit", new ActorMethodHandler(Props.Create(() => new QuittingHandler()))));
        AssertError(Call(router, null), -32603);
    }

    [Fact]
    public void ActorHandler_RepliesStatusFailure_ErrorFromItsCause()
    {
        var router = RouterFor(new RpcMethodDescriptor("fail", new ActorMethodHandler(Props.Create(() => new FailureReplyingHandler()))));
        AssertError(Call(router, null), -32099);
    }

    private IActorRef RouterFor(RpcMethodDescriptor method) => Sys.ActorOf(MethodRouterActor.Props(method, Settings));

    private static RpcMethodDescriptor Delegate(string name, Delegate handler)
    {
        var builder = new RpcMethodsBuilder().AddMethod(name, handler);
        return builder.Build(Services, new RpcMethodsOptions()).Methods.Single(m => m.Name == name);
    }

    private byte[] Call(IActorRef router, string? parameters)
    {
        router.Tell(new RouterProtocol.Invoke(NewCall("m", "1", parameters), TestActor));
        var completed = ExpectMsg<RouterProtocol.InvocationCompleted>();
        Assert.NotNull(completed.Frame);
        return completed.Frame!;
    }

    private RpcCall NewCall(string method, string? id, string? parameters)
    {
        var rawId = id is null ? ReadOnlyMemory<byte>.Empty : Encoding.UTF8.GetBytes(id);
        var rawParams = parameters is null ? ReadOnlyMemory<byte>.Empty : Encoding.UTF8.GetBytes(parameters);
        var context = new RpcContext("session", null, "test", method, rawId, Services);
        return new RpcCall(Interlocked.Increment(ref _sequence), method, rawId, rawParams, context, CancellationToken.None);
    }

    private static JsonElement Parse(byte[] frame) => JsonDocument.Parse(frame).RootElement;

    private static JsonElement AssertError(byte[] frame, int code)
    {
        var response = Parse(frame);
        Assert.Equal(1, response.GetProperty("id").GetInt32());
        var error = response.GetProperty("error");
        Assert.Equal(code, error.GetProperty("code").GetInt32());
        return error;
    }

    private sealed class DoublingHandler : ReceiveActor
    {
        public DoublingHandler() => Receive<RpcInvocation>(call => Sender.Tell(new RpcReply(call.Params!.Value[0].GetInt32() * 2)));
    }

    private sealed class CrashingHandler : ReceiveActor
    {
        public CrashingHandler() => Receive<RpcInvocation>(call =>
        {
            if (call.Params!.Value.GetProperty("crash").GetBoolean())
            {
                throw new InvalidOperationException("handler actor crashed");
            }

            Sender.Tell(new RpcReply("fine"));
        });
    }

    private sealed class RefusingHandler : ReceiveActor
    {
        public RefusingHandler() => Receive<RpcInvocation>(_ => throw new RpcException(-32077, "Refused by actor."));
    }

    private sealed class UnconstructableHandler : ReceiveActor
    {
        public UnconstructableHandler() => throw new InvalidOperationException("cannot start");
    }

    private sealed class QuittingHandler : ReceiveActor
    {
        public QuittingHandler() => Receive<RpcInvocation>(_ => Context.Stop(Self));
    }

    private sealed class FailureReplyingHandler : ReceiveActor
    {
        public FailureReplyingHandler() => Receive<RpcInvocation>(_ => Sender.Tell(new Status.Failure(new RpcException(-32099, "failed politely"))));
    }
}
