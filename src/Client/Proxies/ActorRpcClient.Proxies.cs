using System.Reflection;

namespace ActorRpc.Client;

/// <summary>Typed proxies.</summary>
public sealed partial class ActorRpcClient
{
    /// <summary>
    /// A typed proxy of interface <typeparamref name="T"/>: each member returning <see cref="Task"/>,
    /// <see cref="Task{T}"/>, <see cref="ValueTask"/> or <see cref="ValueTask{T}"/> is a call with its
    /// arguments as positional params (a <see cref="CancellationToken"/> parameter is the call's
    /// token); each <see cref="IAsyncEnumerable{T}"/> member (a property, or a method without
    /// parameters) is a subscription, made when enumeration starts and ended with it. Names: the
    /// member's name without <c>Async</c>, through <see cref="ActorRpcClientOptions.MethodNaming"/>
    /// (<c>AddAsync</c> → <c>add</c>), or its <see cref="RpcNameAttribute"/>, after
    /// <paramref name="prefix"/> and <see cref="ActorRpcClientOptions.PrefixSeparator"/>.
    /// </summary>
    /// <typeparam name="T">A public interface.</typeparam>
    /// <param name="prefix">The prefix the server registered the methods under (<c>AddMethods&lt;Calc&gt;("calc")</c>), or null.</param>
    /// <returns>The proxy; it lives as long as the client.</returns>
    /// <exception cref="NotSupportedException">A member's shape is neither a call nor a subscription.</exception>
    public T Attach<T>(string? prefix = null)
        where T : class
    {
        if (!typeof(T).IsInterface)
        {
            throw new ArgumentException($"{typeof(T).Name} is not an interface: a proxy implements an interface.", nameof(T));
        }

        // Every member is checked now, so a bad one fails here rather than at its first call.
        foreach (var method in typeof(T).GetMethods().Concat(typeof(T).GetInterfaces().SelectMany(parent => parent.GetMethods())))
        {
            ProxyMember.For(method);
        }

        var proxy = DispatchProxy.Create<T, RpcProxy>();
        ((RpcProxy)(object)proxy).Initialize(this, prefix, member => ProxyName(prefix, member));
        return proxy;
    }

    private string ProxyName(string? prefix, ProxyMember member)
    {
        var name = member.IsExplicitlyNamed || _options.MethodNaming is null
            ? member.BaseName
            : _options.MethodNaming.ConvertName(member.BaseName);
        return string.IsNullOrEmpty(prefix) ? name : prefix + _options.PrefixSeparator + name;
    }
}
