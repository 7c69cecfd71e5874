using ActorRpc.Methods.Definition;

namespace ActorRpc.Methods.Binding;

/// <summary>
/// Turns whatever a handler returned (a value, void, Task, Task&lt;T&gt;, ValueTask, ValueTask&lt;T&gt;)
/// into a <see cref="RpcValue"/>, without a state machine when the result is already there.
/// </summary>
internal abstract class ResultAdapter
{
    public abstract ValueTask<RpcValue> Adapt(object? returned);

    public static ResultAdapter For(Type returnType)
    {
        if (returnType == typeof(void))
        {
            return VoidAdapter.Instance;
        }

        if (returnType == typeof(Task))
        {
            return TaskAdapter.Instance;
        }

        if (returnType == typeof(ValueTask))
        {
            return ValueTaskAdapter.Instance;
        }

        if (returnType.IsGenericType)
        {
            var definition = returnType.GetGenericTypeDefinition();
            var valueType = returnType.GetGenericArguments()[0];
            if (definition == typeof(Task<>))
            {
                return Create(typeof(TaskAdapter<>), valueType);
            }

            if (definition == typeof(ValueTask<>))
            {
                return Create(typeof(ValueTaskAdapter<>), valueType);
            }
        }

        if (typeof(Task).IsAssignableFrom(returnType))
        {
            throw new NotSupportedException($"Return type {returnType} is not supported; return T, Task, Task<T>, ValueTask or ValueTask<T>.");
        }

        return new ValueAdapter(returnType);
    }

    private static ResultAdapter Create(Type openAdapter, Type valueType) =>
        (ResultAdapter)Activator.CreateInstance(openAdapter.MakeGenericType(valueType))!;

    private sealed class VoidAdapter : ResultAdapter
    {
        public static readonly VoidAdapter Instance = new();

        public override ValueTask<RpcValue> Adapt(object? returned) => new(RpcValue.Null);
    }

    private sealed class ValueAdapter(Type type) : ResultAdapter
    {
        private readonly Type _type = type;

        public override ValueTask<RpcValue> Adapt(object? returned) => new(new RpcValue(returned, _type));
    }

    private sealed class TaskAdapter : ResultAdapter
    {
        public static readonly TaskAdapter Instance = new();

        public override ValueTask<RpcValue> Adapt(object? returned)
        {
            var task = (Task)returned!;
            return task.IsCompletedSuccessfully ? new(RpcValue.Null) : AwaitAsync(task);
        }

        private static async ValueTask<RpcValue> AwaitAsync(Task task)
        {
            await task.ConfigureAwait(false);
            return RpcValue.Null;
        }
    }

    private sealed class ValueTaskAdapter : ResultAdapter
    {
        public static readonly ValueTaskAdapter Instance = new();

        public override ValueTask<RpcValue> Adapt(object? returned)
        {
            var task = (ValueTask)returned!;
            return task.IsCompletedSuccessfully ? new(RpcValue.Null) : AwaitAsync(task);
        }

        private static async ValueTask<RpcValue> AwaitAsync(ValueTask task)
        {
            await task.ConfigureAwait(false);
            return RpcValue.Null;
        }
    }

    private sealed class TaskAdapter<T> : ResultAdapter
    {
        private static readonly Type ValueType = typeof(T);

        public override ValueTask<RpcValue> Adapt(object? returned)
        {
            var task = (Task<T>)returned!;
#pragma warning disable RS0030 // Result of a task already completed successfully: no wait, and no state machine for the common synchronous handler.
            return task.IsCompletedSuccessfully ? new(new RpcValue(task.Result, ValueType)) : AwaitAsync(task);
#pragma warning restore RS0030
        }

        private static async ValueTask<RpcValue> AwaitAsync(Task<T> task) => new(await task.ConfigureAwait(false), ValueType);
    }

    private sealed class ValueTaskAdapter<T> : ResultAdapter
    {
        private static readonly Type ValueType = typeof(T);

        public override ValueTask<RpcValue> Adapt(object? returned)
        {
            var task = (ValueTask<T>)returned!;
            return task.IsCompletedSuccessfully ? new(new RpcValue(task.Result, ValueType)) : AwaitAsync(task);
        }

        private static async ValueTask<RpcValue> AwaitAsync(ValueTask<T> task) => new(await task.ConfigureAwait(false), ValueType);
    }
}
