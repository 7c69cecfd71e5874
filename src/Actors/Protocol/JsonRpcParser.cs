using System.Text.Json;
using System.Text.Unicode;

namespace ActorRpc.Actors.Protocol;

/// <summary>
/// Parses a JSON-RPC 2.0 message (request, notification or batch) from UTF-8 bytes in a single
/// forward pass, validating every request object as section 4 of the specification requires.
/// Nothing is dispatched from a message that is not well-formed JSON as a whole. An object with a
/// <c>result</c> or <c>error</c> member and no <c>method</c> is the client's response to a call from
/// the server (<see cref="JsonRpcEntry.IsResponse"/>), alone or inside a batch.
/// </summary>
internal static class JsonRpcParser
{
    /// <param name="payload">The message's UTF-8 bytes; entries point into it.</param>
    /// <param name="maxBatchSize">The longest batch accepted (ActorRpc:Limits:MaxBatchSize).</param>
    /// <param name="maxDepth">The deepest nesting accepted (ActorRpc:Limits:MaxJsonDepth).</param>
    /// <param name="compatibility">Which clients' departures from the specification to accept (ActorRpc:Protocol:Compatibility).</param>
    public static JsonRpcMessage Parse(ReadOnlyMemory<byte> payload, int maxBatchSize, int maxDepth, RpcCompatibility compatibility = RpcCompatibility.None)
    {
        // JSON text is UTF-8 (RFC 8259 §8.1). The reader does not check every byte inside strings,
        // and ids are echoed raw, so invalid UTF-8 anywhere would otherwise reach a response frame.
        if (!Utf8.IsValid(payload.Span))
        {
            return JsonRpcMessage.ParseError("the message is not valid UTF-8");
        }

        try
        {
            var reader = new Utf8JsonReader(payload.Span, new JsonReaderOptions { MaxDepth = maxDepth });
            if (!reader.Read())
            {
                return JsonRpcMessage.ParseError("empty message");
            }

            JsonRpcMessage message;
            switch (reader.TokenType)
            {
                case JsonTokenType.StartObject:
                    message = new JsonRpcMessage(JsonRpcMessageKind.Single, ParseRequest(ref reader, payload, compatibility), null, null);
                    break;
                case JsonTokenType.StartArray:
                    message = ParseBatch(ref reader, payload, maxBatchSize, compatibility);
                    break;
                default:
                    reader.Skip();
                    message = new JsonRpcMessage(
                        JsonRpcMessageKind.Single,
                        JsonRpcEntry.InvalidRequest(default, "a request must be a JSON object or an array of them"),
                        null,
                        null);
                    break;
            }

            // A second top-level value ("{}{}") is not one JSON text: the reader throws on it.
            if (reader.Read())
            {
                return JsonRpcMessage.ParseError("unexpected data after the JSON value");
            }

            return message;
        }
        catch (JsonException ex)
        {
            return JsonRpcMessage.ParseError(ex.Message);
        }
    }

    private static JsonRpcMessage ParseBatch(ref Utf8JsonReader reader, ReadOnlyMemory<byte> payload, int maxBatchSize, RpcCompatibility compatibility)
    {
        var entries = new List<JsonRpcEntry>();
        var tooLong = false;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (entries.Count >= maxBatchSize)
            {
                // Keep reading (without storing) so malformed JSON after the limit is still a parse error.
                tooLong = true;
                reader.Skip();
                continue;
            }

            if (reader.TokenType == JsonTokenType.StartObject)
            {
                entries.Add(ParseRequest(ref reader, payload, compatibility));
            }
            else
            {
                reader.Skip();
                entries.Add(JsonRpcEntry.InvalidRequest(default, "a batch element must be a request object"));
            }
        }

        if (tooLong)
        {
            return JsonRpcMessage.InvalidBatch($"batch longer than {maxBatchSize} requests (ActorRpc:Limits:MaxBatchSize)");
        }

        return entries.Count == 0
            ? JsonRpcMessage.InvalidBatch("empty batch")
            : new JsonRpcMessage(JsonRpcMessageKind.Batch, default, [.. entries], null);
    }

    /// <summary>Gets a string token's value; false for escapes that are not Unicode text, such as a lone surrogate ("\uD800").</summary>
    private static bool TryGetString(ref Utf8JsonReader reader, out string? value)
    {
        try
        {
            value = reader.GetString();
            return true;
        }
        catch (InvalidOperationException)
        {
            value = null;
            return false;
        }
    }

    /// <summary>
    /// Compares a name or string token with ASCII text. ValueTextEquals unescapes first and throws
    /// on an escape that is not Unicode ("\uDC00"), which is valid JSON; such text equals none of ours.
    /// </summary>
    private static bool TextIs(ref Utf8JsonReader reader, ReadOnlySpan<byte> text)
    {
        if (!reader.ValueIsEscaped)
        {
            return reader.ValueSpan.SequenceEqual(text);
        }

        try
        {
            return reader.ValueTextEquals(text);
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }

    /// <summary>The raw text of the scalar the reader is on (a string with its quotes and escapes).</summary>
    private static ReadOnlyMemory<byte> ScalarToken(ref Utf8JsonReader reader, ReadOnlyMemory<byte> payload)
    {
        // A string's ValueSpan is its escaped text without the quotes; other scalars are their token.
        var length = reader.TokenType == JsonTokenType.String ? reader.ValueSpan.Length + 2 : reader.ValueSpan.Length;
        return payload.Slice((int)reader.TokenStartIndex, length);
    }

    /// <summary>Which member of a response the property name the reader is on names: result, error, or neither.</summary>
    private static JsonRpcResponseKind ResponseMember(ref Utf8JsonReader reader) =>
        TextIs(ref reader, "result"u8) ? JsonRpcResponseKind.Result
        : TextIs(ref reader, "error"u8) ? JsonRpcResponseKind.Error
        : JsonRpcResponseKind.None;

    /// <summary>The raw text of the value the reader is on (skipped past, for an object or array); the reader ends on its last token.</summary>
    private static ReadOnlyMemory<byte> RawValue(ref Utf8JsonReader reader, ReadOnlyMemory<byte> payload)
    {
        if (reader.TokenType is JsonTokenType.StartArray or JsonTokenType.StartObject)
        {
            var start = (int)reader.TokenStartIndex;
            reader.Skip();
            return payload[start..(int)reader.BytesConsumed];
        }

        return ScalarToken(ref reader, payload);
    }

    /// <summary>Reads one request object; the reader is on its StartObject and ends on its EndObject.</summary>
    private static JsonRpcEntry ParseRequest(ref Utf8JsonReader reader, ReadOnlyMemory<byte> payload, RpcCompatibility compatibility)
    {
        ReadOnlyMemory<byte> id = default;
        ReadOnlyMemory<byte> parameters = default;
        string? method = null;
        string? invalid = null;
        var hasVersion = false;
        var hasMethod = false;
        var badId = false;
        var response = JsonRpcResponseKind.None;
        ReadOnlyMemory<byte> answer = default;

        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (TextIs(ref reader, "jsonrpc"u8))
            {
                reader.Read();
                if (reader.TokenType == JsonTokenType.String && TextIs(ref reader, "2.0"u8))
                {
                    hasVersion = true;
                }
                else
                {
                    invalid ??= "\"jsonrpc\" must be exactly \"2.0\"";
                    reader.Skip();
                }
            }
            else if (TextIs(ref reader, "method"u8))
            {
                reader.Read();
                hasMethod = true;
                if (reader.TokenType == JsonTokenType.String && TryGetString(ref reader, out var name))
                {
                    method = name;
                }
                else
                {
                    invalid ??= "\"method\" must be a string of valid Unicode";
                    reader.Skip();
                }
            }
            else if (TextIs(ref reader, "id"u8))
            {
                reader.Read();
                var start = (int)reader.TokenStartIndex;
                switch (reader.TokenType)
                {
                    case JsonTokenType.String:
                        // ValueSpan holds the escaped text, so quotes plus its length is exactly the raw token.
                        id = payload.Slice(start, reader.ValueSpan.Length + 2);
                        badId = false;
                        break;
                    case JsonTokenType.Number:
                    case JsonTokenType.Null:
                        id = payload.Slice(start, reader.ValueSpan.Length);
                        badId = false;
                        break;
                    default:
                        reader.Skip();
                        id = default;
                        badId = true;
                        break;
                }
            }
            else if (TextIs(ref reader, "params"u8))
            {
                reader.Read();
                if (reader.TokenType is JsonTokenType.StartArray or JsonTokenType.StartObject)
                {
                    var start = (int)reader.TokenStartIndex;
                    reader.Skip();
                    parameters = payload[start..(int)reader.BytesConsumed];
                }
                else if (compatibility == RpcCompatibility.AiohttpJsonRpc && reader.TokenType == JsonTokenType.Null)
                {
                    parameters = default; // aiohttp-json-rpc's clients send "params": null for "no params".
                }
                else if (compatibility == RpcCompatibility.AiohttpJsonRpc
                    && reader.TokenType is JsonTokenType.String or JsonTokenType.Number or JsonTokenType.True or JsonTokenType.False)
                {
                    // Kept as it is: positional binding and subscribe read a scalar as one argument,
                    // and a handler that takes the whole params gets what was sent, as in aiohttp-json-rpc.
                    parameters = ScalarToken(ref reader, payload);
                }
                else
                {
                    invalid ??= "\"params\" must be an array or an object";
                    reader.Skip();
                }
            }
            else if (ResponseMember(ref reader) is var member && member != JsonRpcResponseKind.None)
            {
                // Only members no request has get here, so a request's parse costs nothing more.
                reader.Read();
                var wellFormed = response == JsonRpcResponseKind.None // Section 5: exactly one of result and error,
                    && (member == JsonRpcResponseKind.Result || reader.TokenType == JsonTokenType.StartObject); // and an error is an object.
                answer = RawValue(ref reader, payload);
                response = wellFormed ? member : JsonRpcResponseKind.Malformed;
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }

        if (!hasMethod && response != JsonRpcResponseKind.None)
        {
            // The client's response to a call from the server: never answered, whatever is wrong with it.
            return new JsonRpcEntry(badId ? default : id, null, answer, null, hasVersion ? response : JsonRpcResponseKind.Malformed);
        }

        if (badId)
        {
            // An id that is not a string, number or null cannot be echoed: the answer carries id null.
            return JsonRpcEntry.InvalidRequest(default, "\"id\" must be a string, a number or null");
        }

        if (invalid is null && !hasVersion)
        {
            invalid = "\"jsonrpc\": \"2.0\" is required";
        }

        if (invalid is null && !hasMethod)
        {
            invalid = "\"method\" is required";
        }

        // Invalid requests are answered even without an id (spec section 7), so they keep an id, or none.
        return invalid is null ? new JsonRpcEntry(id, method, parameters, null) : JsonRpcEntry.InvalidRequest(id, invalid);
    }
}
