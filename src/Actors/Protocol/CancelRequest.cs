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

    /// <summary>Whether two raw JSON ids name the same request: equal numbers as written, or equal strings once unescaped.</summary>
    public static bool SameId(ReadOnlySpan<byte> a, ReadOnlySpan<byte> b)
    {
        if (a.SequenceEqual(b))
        {
            return true;
        }

        if (a.IsEmpty || b.IsEmpty || a[0] != (byte)'"' || b[0] != (byte)'"')
        {
            return false;
        }

        return Unescape(a) == Unescape(b);
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

    private static string? Unescape(ReadOnlySpan<byte> json)
    {
        var reader = new Utf8JsonReader(json);
        return reader.Read() ? reader.GetString() : null;
    }
}
