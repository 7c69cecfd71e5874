namespace ActorRpc;

/// <summary>
/// Marks a public method of a class registered with
/// <c>AddActorRpc().AddMethods&lt;T&gt;(prefix)</c> as callable over JSON-RPC.
/// </summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false, Inherited = true)]
public sealed class RpcMethodAttribute : Attribute
{
    /// <summary>Exposes the method under a name derived from its C# name.</summary>
    public RpcMethodAttribute()
    {
    }

    /// <summary>Exposes the method under <paramref name="name"/> (before any prefix).</summary>
    public RpcMethodAttribute(string name) => Name = name;

    /// <summary>
    /// The wire name, without prefix. When null the C# name is used, without an <c>Async</c>
    /// suffix and converted by <see cref="RpcMethodsOptions.MethodNaming"/>.
    /// </summary>
    public string? Name { get; }
}

/// <summary>
/// Binds the whole <c>params</c> member (array or object) to this parameter, for handlers that
/// take a DTO or want the raw <see cref="System.Text.Json.JsonElement"/>. Absent params bind as null.
/// </summary>
[AttributeUsage(AttributeTargets.Parameter, AllowMultiple = false)]
public sealed class RpcParamsAttribute : Attribute
{
}
