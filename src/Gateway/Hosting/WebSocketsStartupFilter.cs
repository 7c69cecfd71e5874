namespace ActorRpc.Gateway.Hosting;

/// <summary>
/// Puts ASP.NET Core's WebSocket middleware at the front of the pipeline, so <c>MapActorRpc</c> works
/// without the application calling <c>UseWebSockets()</c>. It only adds the upgrade feature to
/// upgrade requests (an application's own <c>UseWebSockets</c> later in the pipeline is harmless);
/// keep-alive and allowed origins are applied by ActorRpc's endpoint itself, so they do not reach the
/// application's other WebSocket endpoints. Ahead of it, the upgrade feature is wrapped so that
/// ActorRpc's own sockets check UTF-8 themselves (<see cref="Transport.WebSocketFrameScanner"/>).
/// </summary>
internal sealed class WebSocketsStartupFilter : IStartupFilter
{
    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        app.Use(Transport.ActorRpcUpgradeFeature.WrapAsync);
        app.UseWebSockets();
        next(app);
    };
}
