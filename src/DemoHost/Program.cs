using ActorRpc.DemoHost;

// `token --name alice --permission publish`: print a JWT for this node's configured key and exit.
if (DemoTokenCommand.IsRequested(args))
{
    return DemoTokenCommand.Run(args[1..], Console.Out, Console.Error);
}

var app = DemoNode.Create(args);
await app.RunAsync().ConfigureAwait(false);
return 0;
