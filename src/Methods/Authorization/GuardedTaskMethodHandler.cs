using ActorRpc.Methods.Definition;

namespace ActorRpc.Methods.Authorization;

/// <summary>
/// A task-backed method behind its guard: the caller is checked before its params are bound, so
/// an unauthorised caller learns nothing of the method's parameters (-32010/-32011, never -32602).
/// Runs wherever the handler runs, the node of its role included, with the user that came with the call.
/// </summary>
internal sealed class GuardedTaskMethodHandler(TaskMethodHandler inner, RpcGuard guard, RpcAuthorizer authorizer) : TaskMethodHandler
{
    public override async ValueTask<RpcValue> InvokeAsync(RpcContext context, ReadOnlyMemory<byte> rawParams, CancellationToken cancellationToken)
    {
        var access = await authorizer.AuthorizeAsync(context.User, guard, context).ConfigureAwait(false);
        if (RpcAuthorizer.Refusal(access) is { } refusal)
        {
            throw refusal;
        }

        return await inner.InvokeAsync(context, rawParams, cancellationToken).ConfigureAwait(false);
    }
}
