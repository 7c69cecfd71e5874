namespace ActorRpc.Gateway.Endpoints;

/// <summary>Marks the endpoints <c>MapActorRpc</c> maps, for what must apply to them alone (the <c>access_token</c> query parameter).</summary>
internal sealed class ActorRpcEndpointMetadata
{
    private ActorRpcEndpointMetadata()
    {
    }

    public static ActorRpcEndpointMetadata Instance { get; } = new();
}
