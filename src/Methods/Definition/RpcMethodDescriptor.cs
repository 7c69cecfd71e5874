namespace ActorRpc.Methods.Definition;

/// <summary>One callable method: its wire name and how it runs.</summary>
/// <param name="Name">The full wire name, prefix included.</param>
/// <param name="Handler">What runs when the method is called.</param>
public sealed record RpcMethodDescriptor(string Name, RpcMethodHandler Handler);
