using ActorRpc.Methods.Authorization;

namespace ActorRpc.Methods.Definition;

/// <summary>One callable method: its wire name and how it runs.</summary>
/// <param name="Name">The full wire name, prefix included.</param>
/// <param name="Handler">What runs when the method is called.</param>
/// <param name="Role">
/// The cluster role of the nodes that run it, or null for every node. A node without the role
/// routes calls to a node that has it; when no such node is up, the method is not found (-32601).
/// </param>
/// <param name="Guard">
/// Who may call it; null for anyone. A task-backed method's <paramref name="Handler"/> already
/// checks it (<see cref="GuardedTaskMethodHandler"/>); an actor-backed method's router checks it
/// before the handler actor starts.
/// </param>
/// <param name="Docs">Where <c>rpc.discover</c> learns about it; null for a built-in (described by hand) or a method nothing describes.</param>
internal sealed record RpcMethodDescriptor(string Name, RpcMethodHandler Handler, string? Role = null, RpcGuard? Guard = null, Discovery.MethodDocs? Docs = null);
