using System.Net.WebSockets;
using System.Text.Json;
using System.Text.Unicode;

namespace ActorRpc.Tests.Robustness;

/// <summary>
/// Decides <see cref="FuzzExpectation"/>s, and checks that replies are valid JSON-RPC 2.0 responses
/// that meet them. Independent of the server's code: written from section 4-7 of the specification.
/// </summary>
public static class FuzzOracle
{
    /// <param name="fuzzCase">The message.</param>
    /// <param name="maxMessageSize">ActorRpc:Limits:MaxMessageSize.</param>
    /// <param name="maxBatchSize">ActorRpc:Limits:MaxBatchSize.</param>
    /// <param name="maxDepth">ActorRpc:Limits:MaxJsonDepth.</param>
    /// <param name="overHttp">The message is a POST body: <c>subscribe</c> is then refused with -32600 (issue 12).</param>
    public static FuzzExpectation Expect(FuzzCase fuzzCase, int maxMessageSize, int maxBatchSize, int maxDepth, bool overHttp = false)
    {
        var payload = fuzzCase.Payload;
        var validUtf8 = Utf8.IsValid(payload);
        if (payload.Length > maxMessageSize)
        {
            // The socket layer may notice bad UTF-8 in a text message before its end (and so before its size).
            return validUtf8 || fuzzCase.Type == WebSocketMessageType.Binary
                ? FuzzExpectation.Close(WebSocketCloseStatus.MessageTooBig)
                : FuzzExpectation.Close(WebSocketCloseStatus.MessageTooBig, WebSocketCloseStatus.InvalidPayloadData);
        }

        if (fuzzCase.Type == WebSocketMessageType.Binary)
        {
            return FuzzExpectation.Close(WebSocketCloseStatus.InvalidMessageType);
        }

        if (!validUtf8)
        {
            return FuzzExpectation.Close(WebSocketCloseStatus.InvalidPayloadData);
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(payload, new JsonDocumentOptions { MaxDepth = maxDepth });
        }
        catch (JsonException)
        {
            return FuzzExpectation.Error(FuzzExpectation.ParseError);
        }

        using (document)
        {
            var root = document.RootElement;
            switch (root.ValueKind)
            {
                case JsonValueKind.Object:
                    var single = Entry(root, overHttp);
                    return single.IsNotification
                        ? FuzzExpectation.NoReply
                        : new FuzzExpectation([], 1, false, [single.Id], [single.Code], [single.Method]);
                case JsonValueKind.Array:
                    var length = root.GetArrayLength();
                    if (length == 0 || length > maxBatchSize)
                    {
                        return FuzzExpectation.Error(FuzzExpectation.InvalidRequest);
                    }

                    var answered = root.EnumerateArray()
                        .Select(e => e.ValueKind == JsonValueKind.Object ? Entry(e, overHttp) : new EntryExpectation(false, "null", FuzzExpectation.InvalidRequest, null))
                        .Where(e => !e.IsNotification)
                        .ToList();
                    return answered.Count == 0
                        ? FuzzExpectation.NoReply
                        : new FuzzExpectation([], 1, true, [.. answered.Select(e => e.Id)], [.. answered.Select(e => e.Code)], [.. answered.Select(e => e.Method)]);
                default:
                    return FuzzExpectation.Error(FuzzExpectation.InvalidRequest);
            }
        }
    }

    /// <summary>Section 4: a request object. A later duplicate member wins, as with most parsers; any bad occurrence makes it invalid.</summary>
    private static EntryExpectation Entry(JsonElement request, bool overHttp)
    {
        var invalid = false;
        var hasVersion = false;
        var hasMethod = false;
        string? method = null;
        string? id = null;
        var badId = false;
        foreach (var member in request.EnumerateObject())
        {
            var value = member.Value;
            if (NameIs(member, "jsonrpc"))
            {
                var good = value.ValueKind == JsonValueKind.String && TryGetString(value, out var version) && version == "2.0";
                hasVersion |= good;
                invalid |= !good;
            }
            else if (NameIs(member, "method"))
            {
                hasMethod = true;
                method = value.ValueKind == JsonValueKind.String && TryGetString(value, out var name) ? name : null;
                invalid |= method is null;
            }
            else if (NameIs(member, "id"))
            {
                badId = value.ValueKind is not (JsonValueKind.String or JsonValueKind.Number or JsonValueKind.Null);
                id = badId ? null : value.GetRawText();
            }
            else if (NameIs(member, "params"))
            {
                invalid |= value.ValueKind is not (JsonValueKind.Array or JsonValueKind.Object);
            }
        }

        if (badId)
        {
            return new EntryExpectation(false, "null", FuzzExpectation.InvalidRequest, null);
        }

        invalid |= !hasVersion || !hasMethod;
        if (invalid)
        {
            return new EntryExpectation(false, id ?? "null", FuzzExpectation.InvalidRequest, null);
        }

        // An HTTP exchange cannot subscribe: a valid subscribe call gets -32600 there (docs/errors.md).
        var refused = overHttp && method == "subscribe" ? FuzzExpectation.InvalidRequest : (int?)null;
        return new EntryExpectation(id is null, id ?? "null", refused, method);
    }

    /// <summary>A name that is not Unicode (a lone surrogate escape) is no member the specification knows.</summary>
    private static bool NameIs(JsonProperty member, string name)
    {
        try
        {
            return member.NameEquals(name);
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }

    private static bool TryGetString(JsonElement value, out string? text)
    {
        try
        {
            text = value.GetString();
            return true;
        }
        catch (InvalidOperationException)
        {
            text = null;
            return false;
        }
    }

    /// <summary>Checks one reply against its expectation; returns why it is wrong, or null.</summary>
    public static string? Check(JsonElement reply, FuzzExpectation expected)
    {
        if (expected.IsBatchReply)
        {
            if (reply.ValueKind != JsonValueKind.Array)
            {
                return "expected a batch (array) reply";
            }

            var responses = reply.EnumerateArray().ToList();
            if (responses.Count != expected.ReplyIds.Length)
            {
                return $"expected {expected.ReplyIds.Length} responses in the batch reply, got {responses.Count}";
            }

            // Match each response to an expected entry with the same id (and a code it may have). Internal
            // errors go first: only a divide may have one, and a result must not take that divide's place.
            var open = Enumerable.Range(0, expected.ReplyIds.Length).ToList();
            foreach (var response in responses.OrderBy(r => IsInternalError(r) ? 0 : 1))
            {
                if (CheckShape(response) is { } shape)
                {
                    return shape;
                }

                var raw = response.GetProperty("id").GetRawText();
                var match = open.FindIndex(i => expected.ReplyIds[i] == raw && CheckOutcome(response, expected.ReplyCodes[i], expected.Methods[i]) is null);
                if (match < 0)
                {
                    return $"response {response} matches no request of the batch";
                }

                open.RemoveAt(match);
            }

            return null;
        }

        if (reply.ValueKind != JsonValueKind.Object)
        {
            return "expected a single response object";
        }

        if (CheckShape(reply) is { } problem)
        {
            return problem;
        }

        var id = reply.GetProperty("id").GetRawText();
        return id != expected.ReplyIds[0]
            ? $"expected id {expected.ReplyIds[0]}, got {id}"
            : CheckOutcome(reply, expected.ReplyCodes[0], expected.Methods[0]);
    }

    /// <summary>Section 5: jsonrpc "2.0", an id, exactly one of result and error, an error with integer code and string message.</summary>
    public static string? CheckShape(JsonElement response)
    {
        if (response.ValueKind != JsonValueKind.Object)
        {
            return "a response must be an object";
        }

        if (!response.TryGetProperty("jsonrpc", out var version) || version.ValueKind != JsonValueKind.String || !version.ValueEquals("2.0"))
        {
            return "missing \"jsonrpc\":\"2.0\"";
        }

        if (!response.TryGetProperty("id", out var id) || id.ValueKind is not (JsonValueKind.String or JsonValueKind.Number or JsonValueKind.Null))
        {
            return "missing or mistyped id";
        }

        var hasResult = response.TryGetProperty("result", out _);
        var hasError = response.TryGetProperty("error", out var error);
        if (hasResult == hasError)
        {
            return "a response needs exactly one of result and error";
        }

        if (hasError && (error.ValueKind != JsonValueKind.Object
            || !error.TryGetProperty("code", out var code) || code.ValueKind != JsonValueKind.Number || !code.TryGetInt32(out _)
            || !error.TryGetProperty("message", out var message) || message.ValueKind != JsonValueKind.String))
        {
            return "an error needs an integer code and a string message";
        }

        return null;
    }

    private static bool IsInternalError(JsonElement response) =>
        response.ValueKind == JsonValueKind.Object && response.TryGetProperty("error", out var error)
        && error.ValueKind == JsonValueKind.Object && error.TryGetProperty("code", out var code)
        && code.ValueKind == JsonValueKind.Number && code.TryGetInt32(out var value) && value == -32603;

    private static string? CheckOutcome(JsonElement response, int? requiredCode, string? method)
    {
        var code = response.TryGetProperty("error", out var error) ? error.GetProperty("code").GetInt32() : (int?)null;
        if (requiredCode is { } required)
        {
            return code == required ? null : $"expected error {required}, got {(code is null ? "a result" : code)}";
        }

        // A valid call: any result or error of the method, but never a message-level error, and an
        // internal error only where the demo method throws on purpose (divide by zero, or overflow).
        return code switch
        {
            FuzzExpectation.ParseError or FuzzExpectation.InvalidRequest => $"a valid request got message-level error {code}",
            -32603 when method != "divide" => $"internal error from [{method}]",
            _ => null,
        };
    }

    private sealed record EntryExpectation(bool IsNotification, string Id, int? Code, string? Method);
}
