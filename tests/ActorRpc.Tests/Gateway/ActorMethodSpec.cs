using Akka.Actor;
using ActorRpc.Methods.Definition;
using ActorRpc.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace ActorRpc.Tests.Gateway;

/// <summary>An actor-backed method end to end: its crash is an error for that id, and the socket lives on.</summary>
public sealed class ActorMethodSpec
{
    [Fact]
    public async Task ActorMethod_HandlerCrashes_InternalErrorAndConnectionKeepsWorking()
    {
        await using var server = await RpcServer.StartAsync(builder => builder.Services.AddActorRpc()
            .AddActorMethod("shout", Props.Create(() => new ShoutingHandler())));
        await using var socket = await server.ConnectAsync();

        Assert.Equal("HELLO", JsonAssert.Result(await socket.CallAsync("shout", new[] { "hello" })).GetString());
        JsonAssert.Error(await socket.CallAsync("shout", new[] { "" }), -32603);
        Assert.Equal("AGAIN", JsonAssert.Result(await socket.CallAsync("shout", new[] { "again" })).GetString());
        Assert.Equal("pong", JsonAssert.Result(await socket.CallAsync("ping")).GetString());
    }

    private sealed class ShoutingHandler : ReceiveActor
    {
        public ShoutingHandler() => Receive<RpcInvocation>(call =>
        {
            var text = call.Params!.Value[0].GetString()!;
            if (text.Length == 0)
            {
                throw new InvalidOperationException("nothing to shout");
            }

            Sender.Tell(new RpcReply(text.ToUpperInvariant()));
        });
    }
}
