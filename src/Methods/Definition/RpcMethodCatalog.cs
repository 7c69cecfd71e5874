using ActorRpc.Methods.Binding;

namespace ActorRpc.Methods.Definition;

/// <summary>Every method a node serves, built-ins included, with unique names. Immutable once built.</summary>
internal sealed class RpcMethodCatalog
{
    /// <summary>The built-in method listing every method name.</summary>
    public const string GetMethodsName = "get_methods";

    /// <summary>Built-in: subscribes the connection to one or more topics.</summary>
    public const string SubscribeName = "subscribe";

    /// <summary>Built-in: unsubscribes the connection from one or more topics.</summary>
    public const string UnsubscribeName = "unsubscribe";

    /// <summary>Built-in: lists the topics (and patterns) a client may subscribe to.</summary>
    public const string GetTopicsName = "get_topics";

    /// <summary>Built-in: lists the connection's subscriptions.</summary>
    public const string GetSubscriptionsName = "get_subscriptions";

    /// <summary>The built-ins a session answers itself, since they concern the connection's own state.</summary>
    public static IReadOnlyList<string> SessionBuiltIns { get; } = [SubscribeName, UnsubscribeName, GetTopicsName, GetSubscriptionsName];

    private RpcMethodCatalog(IReadOnlyList<RpcMethodDescriptor> methods)
    {
        Methods = methods;
        Names = methods.Select(m => m.Name).Concat(SessionBuiltIns).Order(StringComparer.Ordinal).ToArray();
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

        if (registered.FirstOrDefault(m => m.Name == GetMethodsName || SessionBuiltIns.Contains(m.Name)) is { } reserved)
        {
            throw new InvalidOperationException($"'{reserved.Name}' is a built-in method and cannot be registered.");
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
