using Akka.Actor;

namespace ActorRpc.Methods.Definition;

/// <summary>What runs when a method is called: a .NET method or delegate, or an actor.</summary>
internal abstract class RpcMethodHandler
{
    protected RpcMethodHandler()
    {
    }
}

/// <summary>A method backed by a .NET method or delegate, invoked as a task.</summary>
internal abstract class TaskMethodHandler : RpcMethodHandler
{
    protected TaskMethodHandler()
    {
    }

    /// <summary>
    /// Binds <paramref name="rawParams"/> (the UTF-8 JSON of the params member, empty when absent),
    /// runs the method and returns its result. Binding failures throw <see cref="RpcInvalidParamsException"/>.
    /// </summary>
    public abstract ValueTask<RpcValue> InvokeAsync(RpcContext context, ReadOnlyMemory<byte> rawParams, CancellationToken cancellationToken);
}

/// <summary>
/// A method backed by an actor: one actor from <see cref="Props"/> is started per call, receives
/// an <see cref="RpcInvocation"/>, and answers its sender with an <see cref="RpcReply"/> (or a
/// <see cref="Status.Failure"/>, or by throwing). The method's router supervises it.
/// </summary>
internal sealed class ActorMethodHandler : RpcMethodHandler
{
    /// <summary>Creates a handler that starts an actor from <paramref name="props"/> for every call.</summary>
    public ActorMethodHandler(Props props) => Props = props;

    /// <summary>The props of the per-call handler actor.</summary>
    public Props Props { get; }
}

/// <summary>A handler's result and the type to serialize it as.</summary>
/// <param name="Value">The result; null is sent as JSON <c>null</c>.</param>
/// <param name="Type">The declared type; <see cref="object"/> means "serialize as the runtime type".</param>
internal readonly record struct RpcValue(object? Value, Type Type)
{
    /// <summary>The result of a method that returns nothing.</summary>
    public static RpcValue Null => new(null, typeof(object));
}
