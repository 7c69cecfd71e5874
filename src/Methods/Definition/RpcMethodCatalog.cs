using ActorRpc.Methods.Authorization;
using ActorRpc.Methods.Binding;
using ActorRpc.Methods.Discovery;
using ActorRpc.Methods.Topics;
using Microsoft.Extensions.Logging;

namespace ActorRpc.Methods.Definition;

/// <summary>Every method a node serves, built-ins included, with unique names. Immutable once built.</summary>
internal sealed class RpcMethodCatalog
{
    /// <summary>The built-in method listing every method name.</summary>
    public const string GetMethodsName = "get_methods";

    /// <summary>Built-in: the node's OpenRPC document, as the caller may see it (docs/openrpc.md). Absent when ActorRpc:Discovery:Enabled is false.</summary>
    public const string DiscoverName = "rpc.discover";

    /// <summary>The prefix JSON-RPC 2.0 reserves for the protocol's own methods: no application method may begin with it.</summary>
    public const string ReservedPrefix = "rpc.";

    /// <summary>Built-in: subscribes the connection to one or more topics.</summary>
    public const string SubscribeName = "subscribe";

    /// <summary>Built-in: unsubscribes the connection from one or more topics.</summary>
    public const string UnsubscribeName = "unsubscribe";

    /// <summary>Built-in: lists the topics (and patterns) a client may subscribe to.</summary>
    public const string GetTopicsName = "get_topics";

    /// <summary>Built-in: lists the connection's subscriptions.</summary>
    public const string GetSubscriptionsName = "get_subscriptions";

    /// <summary>Built-in: replaces the connection's user with the one a new token names (<c>{"token": "..."}</c>).</summary>
    public const string AuthenticateName = "authenticate";

    /// <summary>The built-ins a session answers itself, since they concern the connection's own state.</summary>
    public static IReadOnlyList<string> SessionBuiltIns { get; } = [SubscribeName, UnsubscribeName, GetTopicsName, GetSubscriptionsName, AuthenticateName];

    private readonly (string Name, RpcGuard? Guard)[] _listed;

    private RpcMethodCatalog(IReadOnlyList<RpcMethodDescriptor> methods)
    {
        Methods = methods;
        _listed = methods.Select(m => (m.Name, m.Guard))
            .Concat(SessionBuiltIns.Select(name => (name, (RpcGuard?)null)))
            .OrderBy(m => m.Item1, StringComparer.Ordinal)
            .ToArray();
        Names = _listed.Select(m => m.Name).ToArray();
        HasGuards = methods.Any(m => m.Guard is not null);
    }

    /// <summary>All methods, in registration order, built-ins last.</summary>
    public IReadOnlyList<RpcMethodDescriptor> Methods { get; }

    /// <summary>All method names, sorted ordinally: what <c>get_methods</c> returns to a caller who may call every one.</summary>
    public IReadOnlyList<string> Names { get; }

    /// <summary>Whether any method has a guard.</summary>
    public bool HasGuards { get; }

    /// <summary>Every guarded method with its guard, for the start-up check of their policies.</summary>
    public IEnumerable<(string Name, RpcGuard Guard)> Guards
    {
        get
        {
            foreach (var method in Methods)
            {
                if (method.Guard is { } guard)
                {
                    yield return (method.Name, guard);
                }
            }
        }
    }

    /// <summary>
    /// What <c>get_methods</c> answers <paramref name="context"/>'s caller: the names it may call
    /// (each guard evaluated as a call of that method would be), sorted ordinally.
    /// </summary>
    public async Task<IReadOnlyList<string>> VisibleToAsync(RpcContext context, RpcAuthorizer? authorizer)
    {
        if (!HasGuards || authorizer is null)
        {
            return Names;
        }

        var visible = new List<string>(_listed.Length);
        foreach (var (name, guard) in _listed)
        {
            if (guard is null || await authorizer.AuthorizeAsync(context.User, guard, context.ForMethod(name)).ConfigureAwait(false) == RpcAccess.Allowed)
            {
                visible.Add(name);
            }
        }

        return visible;
    }

    /// <summary>
    /// The catalog of <paramref name="registered"/> plus <c>get_methods</c> and, unless
    /// <paramref name="discovery"/> turns it off, <c>rpc.discover</c>.
    /// </summary>
    /// <param name="registered">The application's methods.</param>
    /// <param name="options">How parameters and results are (de)serialized.</param>
    /// <param name="authorizer">Asks method guards; null when no method is guarded.</param>
    /// <param name="discovery">What <c>rpc.discover</c> says about the node; null for the defaults.</param>
    /// <param name="topics">The node's topics, for <c>rpc.discover</c>'s <c>x-topics</c>; null for none.</param>
    /// <param name="topicAuthorizer">Asks topic guards; null when no topic is guarded.</param>
    /// <param name="logger">Where <c>rpc.discover</c> logs what it cannot describe; null for nowhere.</param>
    internal static RpcMethodCatalog Create(
        IReadOnlyList<RpcMethodDescriptor> registered,
        RpcMethodsOptions options,
        RpcAuthorizer? authorizer,
        RpcDiscoveryOptions? discovery = null,
        TopicCatalog? topics = null,
        RpcAuthorizer? topicAuthorizer = null,
        ILogger? logger = null)
    {
        var duplicates = registered.GroupBy(m => m.Name, StringComparer.Ordinal).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
        if (duplicates.Count > 0)
        {
            throw new InvalidOperationException($"RPC method names registered twice: {string.Join(", ", duplicates)}.");
        }

        if (registered.FirstOrDefault(m => m.Name is GetMethodsName || SessionBuiltIns.Contains(m.Name)) is { } reserved)
        {
            throw new InvalidOperationException($"'{reserved.Name}' is a built-in method and cannot be registered.");
        }

        // JSON-RPC 2.0 reserves every name that starts with "rpc." for the protocol's own methods.
        if (registered.FirstOrDefault(m => m.Name.StartsWith(ReservedPrefix, StringComparison.Ordinal)) is { } protocol)
        {
            throw new InvalidOperationException(
                $"'{protocol.Name}' cannot be registered: JSON-RPC 2.0 reserves method names that begin with \"{ReservedPrefix}\" for the protocol (rpc.discover is the server's own).");
        }

        RpcMethodCatalog? catalog = null;
        Func<RpcContext, Task<IReadOnlyList<string>>> getMethods = context => catalog!.VisibleToAsync(context, authorizer);
        List<RpcMethodDescriptor> methods =
        [
            .. registered,
            new RpcMethodDescriptor(GetMethodsName, new ReflectedMethodHandler(getMethods.Method, getMethods.Target, options.SerializerOptions)),
        ];

        discovery ??= new RpcDiscoveryOptions();
        if (discovery.Enabled)
        {
            topics ??= TopicCatalog.Empty;
            OpenRpcDocumentBuilder? document = null;

            // The same rules as get_methods and get_topics: a caller sees what it may call and subscribe
            // to. Without any guard that is the same for everyone, and written once.
            var forEveryone = (authorizer is null || !methods.Any(m => m.Guard is not null)) && !topics.HasGuards;
            Func<RpcContext, Task<OpenRpcDocument>> discover = async context =>
            {
                var visibleMethods = await catalog!.VisibleToAsync(context, authorizer).ConfigureAwait(false);
                var visibleTopics = await topics.VisibleToAsync(context.User, topicAuthorizer).ConfigureAwait(false);
                return forEveryone ? document!.BuildForEveryone(visibleMethods, visibleTopics) : document!.Build(visibleMethods, visibleTopics);
            };
            methods.Add(new RpcMethodDescriptor(DiscoverName, new ReflectedMethodHandler(discover.Method, discover.Target, options.SerializerOptions)));
            document = new OpenRpcDocumentBuilder(methods, topics, discovery, options.SerializerOptions, logger);
        }

        catalog = new RpcMethodCatalog(methods);
        return catalog;
    }
}
