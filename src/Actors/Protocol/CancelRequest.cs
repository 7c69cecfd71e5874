using System.Text;
using System.Text.Json;

namespace ActorRpc.Actors.Protocol;

/// <summary>
/// The <c>$/cancelRequest</c> notification, as StreamJsonRpc and LSP clients send it:
/// <c>{"jsonrpc":"2.0","method":"$/cancelRequest","params":{"id":42}}</c>. Pure functions, so the
/// rules are testable without a session.
/// </summary>
internal static class CancelRequest
{
    public const string MethodName = "$/cancelRequest";

    /// <summary>
    /// Finds the id to cancel in <paramref name="parameters"/>: <c>{"id": id}</c> or <c>[id]</c>,
    /// where the id is a string or a number. Returns its raw JSON.
    /// </summary>
    public static bool TryGetId(ReadOnlyMemory<byte> parameters, out ReadOnlyMemory<byte> id)
    {
        id = default;
        if (parameters.IsEmpty)
        {
            return false;
        }

        var reader = new Utf8JsonReader(parameters.Span, new JsonReaderOptions { MaxDepth = int.MaxValue });
        try
        {
            if (!reader.Read())
            {
                return false;
            }

            if (reader.TokenType == JsonTokenType.StartArray)
            {
                return reader.Read() && TryTakeId(ref reader, parameters, out id);
            }

            if (reader.TokenType != JsonTokenType.StartObject)
            {
                return false;
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("id"u8))
                {
                    return reader.Read() && TryTakeId(ref reader, parameters, out id);
                }

                reader.Read();
                reader.TrySkip();
            }
        }
        catch (JsonException)
        {
            // The session parsed the whole message already; this is only for safety.
        }

        return false;
    }

    /// <summary>
    /// The id in the form two ids are compared by: a number as written (<c>1</c> and <c>1.0</c> differ,
    /// as they do for the client), a string once unescaped (<c>"a"</c> and <c>"\u0061"</c> are the same
    /// id), and never a number equal to a string (<c>1</c> is not <c>"1"</c>). Null when the id cannot
    /// name a request to cancel (empty: a notification; <c>null</c>, or anything not a string or number).
    /// </summary>
    public static string? IdKey(ReadOnlySpan<byte> rawId)
    {
        if (rawId.IsEmpty)
        {
            return null;
        }

        var first = rawId[0];
        if (first == (byte)'-' || char.IsAsciiDigit((char)first))
        {
            return Encoding.UTF8.GetString(rawId);
        }

        if (first != (byte)'"')
        {
            return null;
        }

        // A string key starts with the quote, so no number can equal it.
        try
        {
            var reader = new Utf8JsonReader(rawId);
            return reader.Read() ? "\"" + reader.GetString() : null;
        }
        catch (Exception ex) when (ex is InvalidOperationException or JsonException)
        {
            // A lone surrogate escape is valid JSON but no .NET string: compared as written, under its own prefix.
            return "\0" + Encoding.UTF8.GetString(rawId);
        }
    }

    private static bool TryTakeId(ref Utf8JsonReader reader, ReadOnlyMemory<byte> parameters, out ReadOnlyMemory<byte> id)
    {
        id = default;
        if (reader.TokenType is not (JsonTokenType.String or JsonTokenType.Number))
        {
            return false;
        }

        var start = (int)reader.TokenStartIndex;
        id = parameters[start..(int)reader.BytesConsumed];
        return true;
    }
}
