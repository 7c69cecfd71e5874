using System.Reflection;

namespace ActorRpc.Client;

/// <summary>
/// Turns what a handler returned (a value, <see cref="Task"/>, <see cref="Task{T}"/>,
/// <see cref="ValueTask"/>, <see cref="ValueTask{T}"/>) into its awaited value. The adapter for a
/// return type is built once, from a generic method closed over it (no code is emitted).
/// </summary>
internal static class TaskResults
{
    /// <summary>The adapter for handlers returning <paramref name="returnType"/>, and the type of the value it yields (null for none).</summary>
    public static (Func<object?, ValueTask<object?>> Await, Type? ValueType) For(Type returnType)
    {
        if (returnType == typeof(void))
        {
            return (static _ => ValueTask.FromResult<object?>(null), null);
        }

        if (returnType == typeof(Task))
        {
            return (AwaitTask, null);
        }

        if (returnType == typeof(ValueTask))
        {
            return (AwaitValueTask, null);
        }

        if (returnType.IsGenericType && returnType.GetGenericTypeDefinition() == typeof(Task<>))
        {
            return (Close(nameof(AwaitTaskOf), returnType.GetGenericArguments()[0]), returnType.GetGenericArguments()[0]);
        }

        if (returnType.IsGenericType && returnType.GetGenericTypeDefinition() == typeof(ValueTask<>))
        {
            return (Close(nameof(AwaitValueTaskOf), returnType.GetGenericArguments()[0]), returnType.GetGenericArguments()[0]);
        }

        return (static value => ValueTask.FromResult(value), returnType);
    }

    private static Func<object?, ValueTask<object?>> Close(string name, Type valueType) =>
        typeof(TaskResults).GetMethod(name, BindingFlags.NonPublic | BindingFlags.Static)!
            .MakeGenericMethod(valueType)
            .CreateDelegate<Func<object?, ValueTask<object?>>>();

    private static async ValueTask<object?> AwaitTask(object? task)
    {
        await ((Task)task!).ConfigureAwait(false);
        return null;
    }

    private static async ValueTask<object?> AwaitValueTask(object? task)
    {
        await ((ValueTask)task!).ConfigureAwait(false);
        return null;
    }

    private static async ValueTask<object?> AwaitTaskOf<T>(object? task) => await ((Task<T>)task!).ConfigureAwait(false);

    private static async ValueTask<object?> AwaitValueTaskOf<T>(object? task) => await ((ValueTask<T>)task!).ConfigureAwait(false);
}
