namespace ActorRpc.Client;

/// <summary>
/// Names the method or topic a typed proxy's member stands for, instead of the name made from the
/// member's (without <c>Async</c>, through <see cref="ActorRpcClientOptions.MethodNaming"/>). The
/// proxy's prefix is still joined in front.
/// </summary>
/// <param name="name">The method's or topic's name, used as written.</param>
[AttributeUsage(AttributeTargets.Method | AttributeTargets.Property, Inherited = false)]
public sealed class RpcNameAttribute(string name) : Attribute
{
    /// <summary>The method's or topic's name, used as written.</summary>
    public string Name { get; } = name;
}
