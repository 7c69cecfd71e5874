using System.Collections.Concurrent;
using System.Reflection;

namespace ActorRpc.Client;

/// <summary>
/// The <see cref="DispatchProxy"/> behind <see cref="ActorRpcClient.Attach{T}"/>: each member call
/// becomes an RPC call (or a subscription) through its cached <see cref="ProxyMember"/>; names are
/// made once per member and proxy.
/// </summary>
internal class RpcProxy : DispatchProxy
{
    private readonly ConcurrentDictionary<MethodInfo, string> _names = new();
    private ActorRpcClient? _client;
    private string? _prefix;
    private Func<ProxyMember, string>? _name;

    /// <summary>Makes the call (or subscription) <paramref name="targetMethod"/> stands for.</summary>
    /// <param name="targetMethod">The interface member called.</param>
    /// <param name="args">Its arguments.</param>
    /// <returns>The member's task, or its <see cref="IAsyncEnumerable{T}"/>.</returns>
    protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
    {
        ArgumentNullException.ThrowIfNull(targetMethod);
        var member = ProxyMember.For(targetMethod);
        var name = _names.GetOrAdd(targetMethod, static (_, state) => state.Name!(state.Member), (Name: _name, Member: member));
        return member.Invoke(_client!, name, args ?? []);
    }

    internal void Initialize(ActorRpcClient client, string? prefix, Func<ProxyMember, string> name)
    {
        _client = client;
        _prefix = prefix;
        _name = name;
    }

    /// <summary>The prefix this proxy's names start with (null for none).</summary>
    internal string? Prefix => _prefix;
}
