using System.Collections.Concurrent;
using System.Reflection;
using System.Runtime.CompilerServices;

namespace ActorRpc.Client;

/// <summary>
/// What a typed proxy needs to know of one interface member, worked out once per member and cached:
/// its base name, where its <see cref="CancellationToken"/> is, and a delegate (a generic method
/// closed over its result type, no code emitted) that makes the call or the subscription.
/// </summary>
internal sealed class ProxyMember
{
    private static readonly ConcurrentDictionary<MethodInfo, ProxyMember> Cache = new();

    private readonly Func<ActorRpcClient, string, object?[], CancellationToken, object> _invoke;
    private readonly int _tokenIndex;

    private ProxyMember(string baseName, bool named, int tokenIndex, Func<ActorRpcClient, string, object?[], CancellationToken, object> invoke)
    {
        BaseName = baseName;
        IsExplicitlyNamed = named;
        _tokenIndex = tokenIndex;
        _invoke = invoke;
    }

    /// <summary>The member's name without <c>Async</c> (or the property's name), or its <see cref="RpcNameAttribute"/> name.</summary>
    public string BaseName { get; }

    /// <summary>True when <see cref="RpcNameAttribute"/> named it (its name is used as written).</summary>
    public bool IsExplicitlyNamed { get; }

    /// <summary>The member of <paramref name="method"/>, from the cache.</summary>
    /// <exception cref="NotSupportedException">Its shape cannot be a call nor a subscription.</exception>
    public static ProxyMember For(MethodInfo method) => Cache.GetOrAdd(method, Create);

    /// <summary>Makes the call (or subscription) as <paramref name="name"/> with the proxy's arguments.</summary>
    public object Invoke(ActorRpcClient client, string name, object?[] args)
    {
        if (_tokenIndex < 0)
        {
            return _invoke(client, name, args, CancellationToken.None);
        }

        var token = (CancellationToken)args[_tokenIndex]!;
        object?[] values = [.. args[.._tokenIndex], .. args[(_tokenIndex + 1)..]];
        return _invoke(client, name, values, token);
    }

    private static ProxyMember Create(MethodInfo method)
    {
        var parameters = method.GetParameters();
        var tokenIndex = Array.FindIndex(parameters, parameter => parameter.ParameterType == typeof(CancellationToken));
        var property = method.IsSpecialName && method.Name.StartsWith("get_", StringComparison.Ordinal)
            ? method.DeclaringType!.GetProperty(method.Name[4..])
            : null;
        var attribute = (MemberInfo?)property ?? method;
        var explicitName = attribute.GetCustomAttribute<RpcNameAttribute>()?.Name;
        var baseName = explicitName ?? (property?.Name ?? StripAsync(method.Name));
        var returnType = method.ReturnType;
        var result = returnType.IsGenericType ? returnType.GetGenericArguments()[0] : null;
        var definition = returnType.IsGenericType ? returnType.GetGenericTypeDefinition() : null;

        Func<ActorRpcClient, string, object?[], CancellationToken, object> invoke;
        if (returnType == typeof(Task))
        {
            invoke = static (client, name, args, token) => client.CallAsync<object>(name, args, token);
        }
        else if (returnType == typeof(ValueTask))
        {
            invoke = static (client, name, args, token) => new ValueTask(client.CallAsync<object>(name, args, token));
        }
        else if (definition == typeof(Task<>))
        {
            invoke = Close(nameof(CallTask), result!);
        }
        else if (definition == typeof(ValueTask<>))
        {
            invoke = Close(nameof(CallValueTask), result!);
        }
        else if (definition == typeof(IAsyncEnumerable<>))
        {
            if (parameters.Length - (tokenIndex >= 0 ? 1 : 0) > 0)
            {
                throw new NotSupportedException($"{method.DeclaringType!.Name}.{method.Name}: a subscription member takes no parameters (but a CancellationToken).");
            }

            invoke = Close(nameof(Subscribe), result!);
        }
        else
        {
            throw new NotSupportedException($"{method.DeclaringType!.Name}.{method.Name} returns {returnType.Name}: a proxy member returns Task, Task<T>, ValueTask, ValueTask<T> (a call) or IAsyncEnumerable<T> (a subscription).");
        }

        return new ProxyMember(baseName, explicitName is not null, tokenIndex, invoke);
    }

    private static string StripAsync(string name) =>
        name.Length > 5 && name.EndsWith("Async", StringComparison.Ordinal) ? name[..^5] : name;

    private static Func<ActorRpcClient, string, object?[], CancellationToken, object> Close(string name, Type result) =>
        typeof(ProxyMember).GetMethod(name, BindingFlags.NonPublic | BindingFlags.Static)!
            .MakeGenericMethod(result)
            .CreateDelegate<Func<ActorRpcClient, string, object?[], CancellationToken, object>>();

    private static object CallTask<T>(ActorRpcClient client, string name, object?[] args, CancellationToken token) =>
        client.CallAsync<T>(name, args, token);

    private static object CallValueTask<T>(ActorRpcClient client, string name, object?[] args, CancellationToken token) =>
        new ValueTask<T>(client.CallAsync<T>(name, args, token)!);

    private static object Subscribe<T>(ActorRpcClient client, string name, object?[] args, CancellationToken token) =>
        SubscribeAsync<T>(client, name, token);

    private static async IAsyncEnumerable<T> SubscribeAsync<T>(ActorRpcClient client, string topic, [EnumeratorCancellation] CancellationToken token)
    {
        // Subscribed when enumeration starts, unsubscribed when it ends: the enumerator owns the subscription.
        var subscription = await client.SubscribeAsync<T>(topic, token).ConfigureAwait(false);
        try
        {
            await foreach (var item in subscription.WithCancellation(token).ConfigureAwait(false))
            {
                yield return item;
            }
        }
        finally
        {
            await subscription.DisposeAsync().ConfigureAwait(false);
        }
    }
}
