using System.Text.Json;

namespace ActorRpc.Client;

/// <summary>What the server sends: answers to our calls, topic notifications, and its own calls and notifications.</summary>
public sealed partial class ActorRpcClient : IRpcMessageSink
{
    private static readonly JsonDocumentOptions ReadOptions = new() { MaxDepth = 64 };

    private static readonly JsonElement JsonNull = JsonDocument.Parse("null").RootElement;

    void IRpcMessageSink.OnMessage(RpcConnection connection, ReadOnlyMemory<byte> utf8)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(utf8, ReadOptions);
        }
        catch (JsonException ex)
        {
            ClientLog.MalformedMessage(_logger, "not JSON: " + ex.Message);
            return;
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind == JsonValueKind.Array)
            {
                foreach (var message in root.EnumerateArray())
                {
                    Dispatch(connection, message);
                }
            }
            else
            {
                Dispatch(connection, root);
            }
        }
    }

    /// <summary>Routes one message; every element kept beyond this call is cloned (the document is disposed after).</summary>
    private void Dispatch(RpcConnection connection, JsonElement message)
    {
        if (message.ValueKind != JsonValueKind.Object)
        {
            ClientLog.MalformedMessage(_logger, "a message is not an object");
            return;
        }

        var hasId = message.TryGetProperty("id", out var id) && id.ValueKind != JsonValueKind.Null;
        if (message.TryGetProperty("method", out var methodElement))
        {
            if (methodElement.ValueKind != JsonValueKind.String)
            {
                ClientLog.MalformedMessage(_logger, "'method' is not a string");
                return;
            }

            var method = methodElement.GetString()!;
            if (!connection.IsDuplex)
            {
                // Over HTTP an answer to a server's call would be a new POST, whose answer could call
                // again: requests and notifications in a POST's answer are ignored, not ping-ponged.
                ClientLog.IgnoredOverHttp(_logger, method);
                return;
            }

            JsonElement? parameters = message.TryGetProperty("params", out var p) ? p.Clone() : null;
            if (hasId)
            {
                _methods.StartCall(connection, id.Clone(), method, parameters);
            }
            else if (method == RpcFrames.CancelRequestMethod)
            {
                _methods.Cancel(connection, parameters);
            }
            else if (!_subscriptions.TryDeliver(method, parameters ?? JsonNull))
            {
                _methods.StartNotification(connection, method, parameters);
            }

            return;
        }

        var hasResult = message.TryGetProperty("result", out var result);
        var hasError = message.TryGetProperty("error", out var error);
        RpcCallException? failure = null;
        if (!hasResult && !hasError)
        {
            ClientLog.MalformedMessage(_logger, "neither a request nor a response");
            return;
        }

        if (hasError && !TryReadError(error, out failure))
        {
            ClientLog.MalformedMessage(_logger, "an error object without an integer code and a message");
            return;
        }

        if (!hasId || id.ValueKind != JsonValueKind.Number || !id.TryGetInt64(out var callId))
        {
            if (hasError)
            {
                ClientLog.ErrorWithoutId(_logger, failure!.Code, failure.Message);
            }
            else
            {
                ClientLog.UnknownResponse(_logger, hasId ? id.GetRawText() : "null");
            }

            return;
        }

        var matched = hasError
            ? connection.Pending.TryFail(callId, failure!)
            : connection.Pending.TryComplete(callId, result.Clone());
        if (!matched)
        {
            ClientLog.UnknownResponse(_logger, id.GetRawText());
        }
    }

    private static bool TryReadError(JsonElement error, out RpcCallException? failure)
    {
        failure = null;
        if (error.ValueKind != JsonValueKind.Object
            || !error.TryGetProperty("code", out var code) || code.ValueKind != JsonValueKind.Number || !code.TryGetInt32(out var number)
            || !error.TryGetProperty("message", out var message) || message.ValueKind != JsonValueKind.String)
        {
            return false;
        }

        JsonElement? data = error.TryGetProperty("data", out var d) ? d.Clone() : null;
        failure = new RpcCallException(number, message.GetString()!, data);
        return true;
    }
}
