using System.Text.Json;

namespace ActorRpc;

/// <summary>
/// The <see cref="RpcContext.Client"/> of a call that has no client to call back: an HTTP POST
/// exchange (its answer is the only thing the server can send), or a context built without
/// <see cref="IRpcClients"/> among its services. Every call fails with <see cref="NotSupportedException"/>.
/// </summary>
internal sealed class UnavailableRpcClient(string sessionId, string reason) : IRpcClient
{
    /// <summary>Why an HTTP exchange's client cannot be called.</summary>
    public const string HttpReason = "Calls to the client need a WebSocket: this call came over HTTP POST.";

    /// <summary>Why a context without ActorRpc's services cannot call its client.</summary>
    public const string NoServiceReason = "Calls to the client need ActorRpc's IRpcClients service (AddActorRpc()), which this context's services lack.";

    public string SessionId { get; } = sessionId;

    public Task<T?> CallAsync<T>(string method, object? args = null, CancellationToken cancellationToken = default) =>
        Task.FromException<T?>(new NotSupportedException(reason));

    public Task<JsonElement> CallAsync(string method, object? args = null, CancellationToken cancellationToken = default) =>
        Task.FromException<JsonElement>(new NotSupportedException(reason));

    public Task NotifyAsync(string method, object? args = null, CancellationToken cancellationToken = default) =>
        Task.FromException(new NotSupportedException(reason));
}
