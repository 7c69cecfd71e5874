using ActorRpc.Methods.Binding;

namespace ActorRpc.Methods.Definition;

/// <summary>Every method a node serves, built-ins included, with unique names. Immutable once built.</summary>
public sealed class RpcMethodCatalog
{
    /// <summary>The built-in method listing every method name.</summary>
    public const string GetMethodsName = "get_methods";

    private RpcMethodCatalog(IReadOnlyList<RpcMethodDescriptor> methods)
    {
        Methods = methods;
        Names = methods.Select(m => m.Name).Order(StringComparer.Ordinal).ToArray();
    }

    /// <summary>All methods, in registration order, built-ins last.</summary>
    public IReadOnlyList<RpcMethodDescriptor> Methods { get; }

    /// <summary>All method names, sorted ordinally: what <c>get_methods</c> returns.</summary>
    public IReadOnlyList<string> Names { get; }

    internal static RpcMethodCatalog Create(IReadOnlyList<RpcMethodDescriptor> registered, RpcMethodsOptions options)
    {
        var duplicates = registered.GroupBy(m => m.Name, StringComparer.Ordinal).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
        if (duplicates.Count > 0)
        {
            throw new InvalidOperationException($"RPC method names registered twice: {string.Join(", ", duplicates)}.");
        }

        if (registered.Any(m => m.Name == GetMethodsName))
        {
            throw new InvalidOperationException($"'{GetMethodsName}' is a built-in method and cannot be registered.");
        }

        RpcMethodCatalog? catalog = null;
        Func<IReadOnlyList<string>> getMethods = () => catalog!.Names;
        var builtIn = new RpcMethodDescriptor(
            GetMethodsName,
            new ReflectedMethodHandler(getMethods.Method, getMethods.Target, options.SerializerOptions));
        catalog = new RpcMethodCatalog([.. registered, builtIn]);
        return catalog;
    }
}
