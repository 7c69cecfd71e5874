using Microsoft.AspNetCore.Http.Features;

namespace ActorRpc.Gateway.Transport;

/// <summary>
/// Stands in for the connection's HTTP/1.1 upgrade feature ahead of ASP.NET Core's WebSocket
/// middleware, so that a WebSocket accepted by an ActorRpc endpoint reads through a
/// <see cref="TextFramesAsBinaryStream"/> (see <see cref="WebSocketFrameScanner"/> for why). Any
/// other endpoint of the application gets the upgraded stream as it is.
/// </summary>
internal sealed class ActorRpcUpgradeFeature(HttpContext context, IHttpUpgradeFeature inner) : IHttpUpgradeFeature
{
    public bool IsUpgradableRequest => inner.IsUpgradableRequest;

    public async Task<Stream> UpgradeAsync()
    {
        var stream = await inner.UpgradeAsync().ConfigureAwait(false);
        if (context.GetEndpoint()?.Metadata.GetMetadata<ActorRpcEndpointMetadata>() is null)
        {
            return stream;
        }

        var scanned = new TextFramesAsBinaryStream(stream);
        context.Features.Set(scanned.Frames);
        return scanned;
    }

    /// <summary>Wraps the upgrade feature of every upgradable HTTP/1.1 request; cheap, and decided per endpoint only once one is chosen.</summary>
    public static Task WrapAsync(HttpContext context, RequestDelegate next)
    {
        if (context.Features.Get<IHttpUpgradeFeature>() is { IsUpgradableRequest: true } upgrade)
        {
            context.Features.Set<IHttpUpgradeFeature>(new ActorRpcUpgradeFeature(context, upgrade));
        }

        return next(context);
    }
}

/// <summary>Marks the endpoints <c>MapActorRpc</c> maps.</summary>
internal sealed class ActorRpcEndpointMetadata
{
    public static ActorRpcEndpointMetadata Instance { get; } = new();
}
