using ActorRpc.Gateway.Hosting;

var app = ActorRpcApplication.Create(args);
await app.RunAsync().ConfigureAwait(false);
