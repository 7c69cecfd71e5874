using ActorRpc.DemoHost;

var app = DemoNode.Create(args);
await app.RunAsync().ConfigureAwait(false);
