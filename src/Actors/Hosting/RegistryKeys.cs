namespace ActorRpc.Actors;

/// <summary>Marker for the registry entry of the node's topics actor.</summary>
internal sealed class TopicsRoot;

/// <summary>Marker for the registry entry of the node's session manager.</summary>
internal sealed class SessionManager;
