using System.Reflection;
using System.Runtime.ExceptionServices;
using System.Text.Json;
using ActorRpc.Methods.Definition;

namespace ActorRpc.Methods.Binding;

/// <summary>
/// Runs a .NET method (static, on a registered instance, or a delegate's target): binds its
/// parameters, invokes it, and awaits whatever task it returns.
/// </summary>
internal sealed class ReflectedMethodHandler : TaskMethodHandler
{
    private readonly object? _target;
    private readonly MethodInvoker _invoker;
    private readonly ParameterBinder _binder;
    private readonly ResultAdapter _adapter;

    public ReflectedMethodHandler(MethodInfo method, object? target, JsonSerializerOptions options)
    {
        if (!method.IsStatic && target is null)
        {
            throw new ArgumentException($"Method {method.Name} is an instance method but no target was given.", nameof(target));
        }

        if (method.ContainsGenericParameters)
        {
            throw new ArgumentException($"Method {method.Name} is generic; RPC methods must be closed.", nameof(method));
        }

        _target = target;
        _invoker = MethodInvoker.Create(method);
        _binder = new ParameterBinder(method, options);
        _adapter = ResultAdapter.For(method.ReturnType);
    }

    public override ValueTask<RpcValue> InvokeAsync(RpcContext context, ReadOnlyMemory<byte> rawParams, CancellationToken cancellationToken)
    {
        var args = _binder.Bind(rawParams, context, cancellationToken);
        object? returned;
        try
        {
            returned = _invoker.Invoke(_target, args.AsSpan());
        }
        catch (TargetInvocationException ex) when (ex.InnerException is not null)
        {
            ExceptionDispatchInfo.Capture(ex.InnerException).Throw();
            throw;
        }

        return _adapter.Adapt(returned);
    }
}
