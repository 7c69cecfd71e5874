using System.Text.Json;
using ActorRpc.Actors.Sessions;

namespace ActorRpc.Actors.ClientCalls;

/// <summary>
/// The <see cref="IRpcClient"/> of one session id: each call goes through <see cref="RpcClients"/>
/// to the session's node, and its answer becomes the result or the exception
/// <see cref="IRpcClient"/>'s remarks list.
/// </summary>
internal sealed class SessionClient(string sessionId, RpcClients clients) : IRpcClient
{
    public string SessionId => sessionId;

    public async Task<T?> CallAsync<T>(string method, object? args = null, CancellationToken cancellationToken = default)
    {
        var result = await CallRawAsync(method, args, cancellationToken).ConfigureAwait(false);
        return JsonSerializer.Deserialize<T>(result, clients.SerializerOptions);
    }

    public async Task<JsonElement> CallAsync(string method, object? args = null, CancellationToken cancellationToken = default)
    {
        var result = await CallRawAsync(method, args, cancellationToken).ConfigureAwait(false);
        using var document = JsonDocument.Parse(result);
        return document.RootElement.Clone();
    }

    public async Task NotifyAsync(string method, object? args = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(method);
        var call = new ClientCallProtocol.CallClient(method, ClientCallArgs.Serialize(args, clients.SerializerOptions), ExpectsAnswer: false);
        ThrowIfFailed(await clients.SendAsync(sessionId, call, cancellationToken).ConfigureAwait(false), method);
    }

    private async Task<byte[]> CallRawAsync(string method, object? args, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(method);
        var call = new ClientCallProtocol.CallClient(method, ClientCallArgs.Serialize(args, clients.SerializerOptions), ExpectsAnswer: true);
        var answer = await clients.SendAsync(sessionId, call, cancellationToken).ConfigureAwait(false);
        ThrowIfFailed(answer, method);
        return answer.Payload;
    }

    private void ThrowIfFailed(ClientCallProtocol.ClientCallAnswer answer, string method)
    {
        switch (answer.Outcome)
        {
            case ClientCallOutcome.Result:
            case ClientCallOutcome.Sent:
                return;
            case ClientCallOutcome.Error:
                throw ClientError(method, answer.Payload);
            case ClientCallOutcome.TimedOut:
                throw new TimeoutException(answer.Detail);
            case ClientCallOutcome.Refused:
                throw new InvalidOperationException(answer.Detail);
            case ClientCallOutcome.NotSupported:
                throw new NotSupportedException(answer.Detail);
            default:
                throw new RpcClientGoneException(sessionId, answer.Detail);
        }
    }

    /// <summary>The client's error object as an exception; a code or message it left out (or got wrong) reads as -32603 and a generic text.</summary>
    private static RpcClientException ClientError(string method, byte[] error)
    {
        const int InternalError = -32603;
        const string NoMessage = "The client answered with an error without a message.";
        try
        {
            using var document = JsonDocument.Parse(error);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return new RpcClientException(method, InternalError, NoMessage);
            }

            var code = root.TryGetProperty("code", out var codeElement) && codeElement.ValueKind == JsonValueKind.Number && codeElement.TryGetInt32(out var value)
                ? value
                : InternalError;
            var message = root.TryGetProperty("message", out var messageElement) && messageElement.ValueKind == JsonValueKind.String
                ? messageElement.GetString()!
                : NoMessage;
            JsonElement? data = root.TryGetProperty("data", out var dataElement) ? dataElement.Clone() : null;
            return new RpcClientException(method, code, message, data);
        }
        catch (JsonException)
        {
            return new RpcClientException(method, InternalError, NoMessage);
        }
    }
}
