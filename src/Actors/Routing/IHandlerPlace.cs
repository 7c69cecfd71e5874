namespace ActorRpc.Actors.Routing;

/// <summary>
/// A call's place among the node's running handlers (<c>ActorRpc:Limits:MaxNodeHandlers</c>), held by
/// the task that runs its handler on this node until the handler returns, so a handler that ignores
/// its cancelled token still counts while it runs (see <see cref="Sessions.PendingCall"/>).
/// </summary>
internal interface IHandlerPlace
{
    /// <summary>The handler returned (or threw): its hold on the place ends. Called once, from the handler's thread.</summary>
    void HandlerReturned();
}
