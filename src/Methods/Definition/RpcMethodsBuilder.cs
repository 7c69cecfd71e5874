using System.Reflection;
using Akka.Actor;
using ActorRpc.Methods.Authorization;
using ActorRpc.Methods.Binding;
using ActorRpc.Methods.Discovery;
using ActorRpc.Methods.Topics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ActorRpc.Methods.Definition;

/// <summary>
/// Registers the methods a server exposes, as aiohttp-json-rpc's <c>add_methods</c> does: a whole
/// class's <see cref="RpcMethodAttribute"/> methods under an optional prefix, a single delegate,
/// or an actor. Names are checked for duplicates when the catalog is built at start-up.
/// </summary>
internal sealed class RpcMethodsBuilder
{
    private readonly List<Registration> _registrations = [];

    /// <summary>
    /// Registers every <see cref="RpcMethodAttribute"/> method of <typeparamref name="T"/>, named
    /// <c>prefix + separator + name</c> when <paramref name="prefix"/> is given. The instance comes
    /// from the service provider, or is created once with constructor injection.
    /// </summary>
    /// <param name="prefix">Put before each name, with <see cref="RpcMethodsOptions.PrefixSeparator"/>.</param>
    /// <param name="role">Run these methods only on cluster nodes of this role (others route to them).</param>
    /// <param name="guard">What the registration's callers must be (<see cref="RpcMethodConventionBuilder"/>); null for nothing beyond the attributes.</param>
    /// <param name="docs">What the registration says about its methods for <c>rpc.discover</c>; null for nothing.</param>
    public RpcMethodsBuilder AddMethods<T>(string? prefix = null, string? role = null, RpcGuardBuilder? guard = null, MethodDocsBuilder? docs = null)
        where T : class =>
        Add(guard, docs, (services, options, registration) =>
            Discover(typeof(T), () => ActivatorUtilities.GetServiceOrCreateInstance<T>(services), prefix, role, options, registration));

    /// <summary>Registers every <see cref="RpcMethodAttribute"/> method of <paramref name="instance"/> (static ones included).</summary>
    public RpcMethodsBuilder AddMethods(object instance, string? prefix = null, string? role = null, RpcGuardBuilder? guard = null, MethodDocsBuilder? docs = null)
    {
        ArgumentNullException.ThrowIfNull(instance);
        return Add(guard, docs, (_, options, registration) => Discover(instance.GetType(), () => instance, prefix, role, options, registration));
    }

    /// <summary>Registers the static <see cref="RpcMethodAttribute"/> methods of <paramref name="type"/> (a static class, say).</summary>
    public RpcMethodsBuilder AddStaticMethods(Type type, string? prefix = null, string? role = null, RpcGuardBuilder? guard = null, MethodDocsBuilder? docs = null)
    {
        ArgumentNullException.ThrowIfNull(type);
        return Add(guard, docs, (_, options, registration) => Discover(type, null, prefix, role, options, registration));
    }

    /// <summary>
    /// Registers one delegate under <paramref name="name"/> (used as is, no naming policy).
    /// Its parameters bind like a method's; attributes on it (a lambda's <c>[Authorize]</c>) guard it.
    /// </summary>
    public RpcMethodsBuilder AddMethod(string name, Delegate handler, string? role = null, RpcGuardBuilder? guard = null, MethodDocsBuilder? docs = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(handler);
        return Add(guard, docs, (_, options, registration) =>
            [new RpcMethodDescriptor(
                name,
                new ReflectedMethodHandler(handler.Method, handler.Target, options.SerializerOptions),
                role,
                GuardOf(registration, handler.Method.DeclaringType, handler.Method),
                MethodDocs.Of(handler.Method))]);
    }

    /// <summary>
    /// Registers a method served by an actor: every call starts one actor from <paramref name="props"/>,
    /// which receives an <see cref="RpcInvocation"/> and answers with an <see cref="RpcReply"/>.
    /// </summary>
    public RpcMethodsBuilder AddActorMethod(string name, Props props, string? role = null, RpcGuardBuilder? guard = null, MethodDocsBuilder? docs = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(props);
        // The actor class's attributes guard it as a method's class's do (Props without a type have none).
        return Add(guard, docs, (_, _, registration) =>
            [new RpcMethodDescriptor(name, new ActorMethodHandler(props), role, GuardOf(registration, props.Type), MethodDocs.OfActor(props.Type))]);
    }

    /// <summary>
    /// Builds the catalog: every registration plus the built-in methods. A guarded task method's
    /// handler checks its guard with the node's <see cref="RpcAuthorizer"/> before anything else.
    /// </summary>
    internal RpcMethodCatalog Build(IServiceProvider services, RpcMethodsOptions options)
    {
        var methods = _registrations
            .SelectMany(registration => registration.Describe(services, options, registration.Guard)
                .Select(method => method.Docs is { } docs ? method with { Docs = registration.Docs.ApplyTo(docs) } : method))
            .ToList();

        // Only a node with guards needs ASP.NET Core authorization's services.
        var authorizer = methods.Any(m => m.Guard is not null) ? services.GetRequiredService<RpcAuthorizer>() : null;
        for (var i = 0; i < methods.Count; i++)
        {
            if (methods[i] is { Guard: { } guard, Handler: TaskMethodHandler task })
            {
                methods[i] = methods[i] with { Handler = new GuardedTaskMethodHandler(task, guard, authorizer!) };
            }
        }

        // rpc.discover lists topics by get_topics' rule, which asks topic guards whether or not a method has one.
        var discovery = services.GetService<IOptions<RpcDiscoveryOptions>>()?.Value;
        var topics = services.GetService<TopicCatalog>() ?? TopicCatalog.Empty;
        var topicAuthorizer = discovery is not { Enabled: false } && topics.HasGuards ? authorizer ?? services.GetRequiredService<RpcAuthorizer>() : null;
        var logger = services.GetService<ILoggerFactory>()?.CreateLogger("ActorRpc.Discovery");
        return RpcMethodCatalog.Create(methods, options, authorizer, discovery, topics, topicAuthorizer, logger);
    }

    private RpcMethodsBuilder Add(
        RpcGuardBuilder? guard, MethodDocsBuilder? docs, Func<IServiceProvider, RpcMethodsOptions, RpcGuardBuilder, IEnumerable<RpcMethodDescriptor>> describe)
    {
        _registrations.Add(new Registration(describe, guard ?? new RpcGuardBuilder(), docs ?? new MethodDocsBuilder()));
        return this;
    }

    // What its registration asks, and the attributes of the members it is made of (its class, its method).
    private static RpcGuard? GuardOf(RpcGuardBuilder registration, params ReadOnlySpan<MemberInfo?> members)
    {
        var guard = new RpcGuardBuilder();
        foreach (var member in members)
        {
            if (member is not null)
            {
                guard.AddAttributesOf(member);
            }
        }

        return guard.With(registration).Build();
    }

    private static IEnumerable<RpcMethodDescriptor> Discover(
        Type type, Func<object>? instance, string? prefix, string? role, RpcMethodsOptions options, RpcGuardBuilder guard)
    {
        var flags = BindingFlags.Public | BindingFlags.Static | (instance is null ? 0 : BindingFlags.Instance);
        var target = instance?.Invoke();
        var found = false;
        foreach (var method in type.GetMethods(flags))
        {
            var attribute = method.GetCustomAttribute<RpcMethodAttribute>();
            if (attribute is null)
            {
                continue;
            }

            found = true;
            var name = attribute.Name ?? options.ConvertName(method.Name);
            var fullName = string.IsNullOrEmpty(prefix) ? name : prefix + (options.PrefixSeparator ?? RpcMethodsOptions.DefaultPrefixSeparator) + name;
            yield return new RpcMethodDescriptor(
                fullName,
                new ReflectedMethodHandler(method, method.IsStatic ? null : target, options.SerializerOptions),
                role,
                GuardOf(guard, type, method),
                MethodDocs.Of(method));
        }

        if (!found)
        {
            throw new InvalidOperationException($"{type.Name} has no public method marked [RpcMethod].");
        }
    }

    /// <summary>One Add call: how it describes its methods, what its callers must be, and what it says about them.</summary>
    private sealed record Registration(
        Func<IServiceProvider, RpcMethodsOptions, RpcGuardBuilder, IEnumerable<RpcMethodDescriptor>> Describe,
        RpcGuardBuilder Guard,
        MethodDocsBuilder Docs);
}
