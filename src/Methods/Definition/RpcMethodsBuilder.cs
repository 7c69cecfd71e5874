using System.Reflection;
using Akka.Actor;
using ActorRpc.Methods.Binding;
using Microsoft.Extensions.DependencyInjection;

namespace ActorRpc.Methods.Definition;

/// <summary>
/// Registers the methods a server exposes, as aiohttp-json-rpc's <c>add_methods</c> does: a whole
/// class's <see cref="RpcMethodAttribute"/> methods under an optional prefix, a single delegate,
/// or an actor. Names are checked for duplicates when the catalog is built at start-up.
/// </summary>
internal sealed class RpcMethodsBuilder
{
    private readonly List<Func<IServiceProvider, RpcMethodsOptions, IEnumerable<RpcMethodDescriptor>>> _registrations = [];

    /// <summary>
    /// Registers every <see cref="RpcMethodAttribute"/> method of <typeparamref name="T"/>, named
    /// <c>prefix + separator + name</c> when <paramref name="prefix"/> is given. The instance comes
    /// from the service provider, or is created once with constructor injection.
    /// </summary>
    /// <param name="prefix">Put before each name, with <see cref="RpcMethodsOptions.PrefixSeparator"/>.</param>
    /// <param name="role">Run these methods only on cluster nodes of this role (others route to them).</param>
    public RpcMethodsBuilder AddMethods<T>(string? prefix = null, string? role = null)
        where T : class
    {
        _registrations.Add((services, options) =>
            Discover(typeof(T), () => ActivatorUtilities.GetServiceOrCreateInstance<T>(services), prefix, role, options));
        return this;
    }

    /// <summary>Registers every <see cref="RpcMethodAttribute"/> method of <paramref name="instance"/> (static ones included).</summary>
    public RpcMethodsBuilder AddMethods(object instance, string? prefix = null, string? role = null)
    {
        ArgumentNullException.ThrowIfNull(instance);
        _registrations.Add((_, options) => Discover(instance.GetType(), () => instance, prefix, role, options));
        return this;
    }

    /// <summary>Registers the static <see cref="RpcMethodAttribute"/> methods of <paramref name="type"/> (a static class, say).</summary>
    public RpcMethodsBuilder AddStaticMethods(Type type, string? prefix = null, string? role = null)
    {
        ArgumentNullException.ThrowIfNull(type);
        _registrations.Add((_, options) => Discover(type, null, prefix, role, options));
        return this;
    }

    /// <summary>
    /// Registers one delegate under <paramref name="name"/> (used as is, no naming policy).
    /// Its parameters bind like a method's.
    /// </summary>
    public RpcMethodsBuilder AddMethod(string name, Delegate handler, string? role = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(handler);
        _registrations.Add((_, options) =>
            [new RpcMethodDescriptor(name, new ReflectedMethodHandler(handler.Method, handler.Target, options.SerializerOptions), role)]);
        return this;
    }

    /// <summary>
    /// Registers a method served by an actor: every call starts one actor from <paramref name="props"/>,
    /// which receives an <see cref="RpcInvocation"/> and answers with an <see cref="RpcReply"/>.
    /// </summary>
    public RpcMethodsBuilder AddActorMethod(string name, Props props, string? role = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(props);
        _registrations.Add((_, _) => [new RpcMethodDescriptor(name, new ActorMethodHandler(props), role)]);
        return this;
    }

    /// <summary>Builds the catalog: every registration plus the built-in methods.</summary>
    internal RpcMethodCatalog Build(IServiceProvider services, RpcMethodsOptions options)
    {
        var methods = _registrations.SelectMany(register => register(services, options)).ToList();
        return RpcMethodCatalog.Create(methods, options);
    }

    private static IEnumerable<RpcMethodDescriptor> Discover(Type type, Func<object>? instance, string? prefix, string? role, RpcMethodsOptions options)
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
                role);
        }

        if (!found)
        {
            throw new InvalidOperationException($"{type.Name} has no public method marked [RpcMethod].");
        }
    }
}
