using Microsoft.AspNetCore.Http.Features;

namespace ActorRpc.Gateway.Transport;

/// <summary>
/// Stands in for the connection's HTTP/1.1 upgrade feature in the pipeline of an ActorRpc endpoint,
/// ahead of its WebSocket middleware, so that the accepted WebSocket reads through a
/// <see cref="TextFramesAsBinaryStream"/> (see <see cref="WebSocketFrameScanner"/> for why).
/// </summary>
internal sealed class ActorRpcUpgradeFeature(HttpContext context, IHttpUpgradeFeature inner) : IHttpUpgradeFeature
{
    public bool IsUpgradableRequest => inner.IsUpgradableRequest;

    public async Task<Stream> UpgradeAsync()
    {
        var scanned = new TextFramesAsBinaryStream(await inner.UpgradeAsync().ConfigureAwait(false));
        context.Features.Set(scanned.Frames);
        return scanned;
    }

    /// <summary>Middleware: wraps the upgrade feature of an upgradable HTTP/1.1 request to an ActorRpc endpoint.</summary>
    public static Task WrapAsync(HttpContext context, RequestDelegate next)
    {
        if (context.Features.Get<IHttpUpgradeFeature>() is { IsUpgradableRequest: true } upgrade)
        {
            context.Features.Set<IHttpUpgradeFeature>(new ActorRpcUpgradeFeature(context, upgrade));

            // An application-wide UseWebSockets may have run already (its origin check with it); the
            // endpoint's own middleware, next, accepts through the wrapped feature instead.
            context.Features.Set<IHttpWebSocketFeature>(null);
        }

        return next(context);
    }
}
