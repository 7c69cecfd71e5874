using Akka.Actor;
using ActorRpc.Methods;
using ActorRpc;
using ActorRpc.Methods.Authorization;
using ActorRpc.Methods.Discovery;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>
/// Registers the methods a node serves, as aiohttp-json-rpc's <c>add_methods</c> does: a whole
/// class's <see cref="RpcMethodAttribute"/> methods under an optional prefix, one delegate, or an
/// actor. Names are checked for duplicates when the node starts.
/// </summary>
// RS0026: AddMethods<T>() and AddMethods(instance) differ in their first parameter, so optional
// prefix and role cannot make a call ambiguous; they read as ASP.NET Core's own Add* overloads do.
#pragma warning disable RS0026
public static class ActorRpcMethodsBuilderExtensions
{
    /// <summary>
    /// Registers every <see cref="RpcMethodAttribute"/> method of <typeparamref name="T"/>, named
    /// <c>prefix + separator + name</c> when <paramref name="prefix"/> is given
    /// (<see cref="RpcMethodsOptions.PrefixSeparator"/>). The instance comes from the service
    /// provider when <typeparamref name="T"/> is registered there, and is otherwise created once,
    /// with constructor injection.
    /// </summary>
    /// <param name="builder">The ActorRpc builder.</param>
    /// <param name="prefix">Put before each name, with the prefix separator; null for none.</param>
    /// <param name="role">Run these methods only on cluster nodes of this role (other nodes route calls to them); null for every node.</param>
    /// <returns>A builder of the same node that also says who may call these methods (<see cref="RpcMethodConventionBuilder"/>).</returns>
    public static RpcMethodConventionBuilder AddMethods<T>(this IActorRpcBuilder builder, string? prefix = null, string? role = null)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(builder);
        return Register(builder, (methods, guard, docs) => methods.AddMethods<T>(prefix, role, guard, docs));
    }

    /// <summary>Registers every <see cref="RpcMethodAttribute"/> method of <paramref name="instance"/> (static ones included).</summary>
    /// <param name="builder">The ActorRpc builder.</param>
    /// <param name="instance">The object whose methods serve the calls.</param>
    /// <param name="prefix">Put before each name, with the prefix separator; null for none.</param>
    /// <param name="role">Run these methods only on cluster nodes of this role; null for every node.</param>
    /// <returns>A builder of the same node that also says who may call these methods (<see cref="RpcMethodConventionBuilder"/>).</returns>
    public static RpcMethodConventionBuilder AddMethods(this IActorRpcBuilder builder, object instance, string? prefix = null, string? role = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return Register(builder, (methods, guard, docs) => methods.AddMethods(instance, prefix, role, guard, docs));
    }

    /// <summary>Registers the static <see cref="RpcMethodAttribute"/> methods of <paramref name="type"/> (a static class, say).</summary>
    /// <param name="builder">The ActorRpc builder.</param>
    /// <param name="type">The type whose static methods serve the calls.</param>
    /// <param name="prefix">Put before each name, with the prefix separator; null for none.</param>
    /// <param name="role">Run these methods only on cluster nodes of this role; null for every node.</param>
    /// <returns>A builder of the same node that also says who may call these methods (<see cref="RpcMethodConventionBuilder"/>).</returns>
    public static RpcMethodConventionBuilder AddStaticMethods(this IActorRpcBuilder builder, Type type, string? prefix = null, string? role = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return Register(builder, (methods, guard, docs) => methods.AddStaticMethods(type, prefix, role, guard, docs));
    }

    /// <summary>
    /// Registers one delegate under <paramref name="name"/>, used as it is (no naming policy, no
    /// prefix). Its parameters bind like a method's: from positional or named params, with
    /// <see cref="CancellationToken"/> and <see cref="RpcContext"/> injected.
    /// </summary>
    /// <param name="builder">The ActorRpc builder.</param>
    /// <param name="name">The wire name.</param>
    /// <param name="handler">The delegate that serves the calls.</param>
    /// <param name="role">Run it only on cluster nodes of this role; null for every node.</param>
    /// <returns>A builder of the same node that also says who may call these methods (<see cref="RpcMethodConventionBuilder"/>).</returns>
    public static RpcMethodConventionBuilder AddMethod(this IActorRpcBuilder builder, string name, Delegate handler, string? role = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return Register(builder, (methods, guard, docs) => methods.AddMethod(name, handler, role, guard, docs));
    }

    /// <summary>
    /// Registers a method served by an actor: every call starts one actor from
    /// <paramref name="props"/>, supervised by the method's router, which receives an
    /// <see cref="RpcInvocation"/> and answers its sender with an <see cref="RpcReply"/> (or a
    /// <see cref="Status.Failure"/>, or by throwing).
    /// </summary>
    /// <param name="builder">The ActorRpc builder.</param>
    /// <param name="name">The wire name.</param>
    /// <param name="props">The props of the per-call actor.</param>
    /// <param name="role">Run it only on cluster nodes of this role; null for every node.</param>
    /// <returns>A builder of the same node that also says who may call these methods (<see cref="RpcMethodConventionBuilder"/>).</returns>
    public static RpcMethodConventionBuilder AddActorMethod(this IActorRpcBuilder builder, string name, Props props, string? role = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return Register(builder, (methods, guard, docs) => methods.AddActorMethod(name, props, role, guard, docs));
    }

    // One registration: its guard and docs, filled in later by the convention builder it returns.
    private static RpcMethodConventionBuilder Register(IActorRpcBuilder builder, Action<ActorRpc.Methods.Definition.RpcMethodsBuilder, RpcGuardBuilder, MethodDocsBuilder> add)
    {
        var guard = new RpcGuardBuilder();
        var docs = new MethodDocsBuilder();
        add(BuilderRegistrations.Methods(builder.Services), guard, docs);
        return new RpcMethodConventionBuilder(builder.Services, guard, docs);
    }
}
#pragma warning restore RS0026
