namespace Microsoft.AspNetCore.Builder;

/// <summary>
/// What <c>MapActorRpc</c> returns: conventions added here (<c>RequireCors</c>, <c>RequireHost</c>,
/// <c>RequireAuthorization</c>, metadata) apply to the mapped endpoint, which serves both the
/// WebSocket upgrade and the POST of its path.
/// </summary>
public sealed class ActorRpcEndpointConventionBuilder : IEndpointConventionBuilder
{
    private readonly IEndpointConventionBuilder _inner;

    internal ActorRpcEndpointConventionBuilder(IEndpointConventionBuilder inner) => _inner = inner;

    /// <inheritdoc />
    public void Add(Action<EndpointBuilder> convention) => _inner.Add(convention);

    /// <inheritdoc />
    public void Finally(Action<EndpointBuilder> finallyConvention) => _inner.Finally(finallyConvention);
}
