using System.Buffers;
using System.Buffers.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace ActorRpc.Actors.Protocol;

/// <summary>
/// The frames of calls from the server to a client, and the ids they carry. Server ids are strings
/// <c>"s:&lt;n&gt;"</c> (n counts per session from 1), so they never equal an id a client chose for its
/// own requests as long as it does not use such strings (the .NET client uses numbers).
/// </summary>
internal static class ClientCallFrames
{
    private static readonly JsonWriterOptions WriterOptions = new()
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        SkipValidation = true, // Params are raw JSON the caller's serializer wrote (or a JsonElement's text).
    };

    /// <summary>What a malformed response (both result and error, an error that is no object) fails its call with.</summary>
    public static byte[] MalformedResponseError { get; } =
        """{"code":-32600,"message":"The client's response is not a valid JSON-RPC 2.0 response."}"""u8.ToArray();

    /// <summary><c>{"jsonrpc":"2.0","id":"s:&lt;id&gt;","method":…,"params":…}</c>, params left out when empty.</summary>
    public static byte[] Request(long id, string method, ReadOnlySpan<byte> parameters) => Write(id, method, parameters);

    /// <summary><c>{"jsonrpc":"2.0","method":…,"params":…}</c>, params left out when empty.</summary>
    public static byte[] Notification(string method, ReadOnlySpan<byte> parameters) => Write(null, method, parameters);

    /// <summary><c>$/cancelRequest</c> of the server's call <paramref name="id"/>: the client may stop working on it.</summary>
    public static byte[] Cancel(long id)
    {
        var buffer = new ArrayBufferWriter<byte>(64);
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            writer.WriteStartObject();
            writer.WriteString("jsonrpc"u8, "2.0"u8);
            writer.WriteString("method"u8, CancelRequest.MethodName);
            writer.WriteStartObject("params"u8);
            WriteId(writer, id);
            writer.WriteEndObject();
            writer.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>
    /// Reads a server id from the raw JSON of a response's id: <c>"s:12"</c> gives 12. False for
    /// anything else (a number, another string, an escaped form): no call of the server has that id.
    /// </summary>
    public static bool TryParseId(ReadOnlySpan<byte> rawId, out long id)
    {
        id = 0;
        if (rawId.Length < 5 || !rawId.StartsWith("\"s:"u8) || rawId[^1] != (byte)'"')
        {
            return false;
        }

        var digits = rawId[3..^1];
        // Exactly the form the session writes: decimal digits, no sign, no leading zero.
        return digits.Length <= 19 && digits[0] is >= (byte)'1' and <= (byte)'9' && Utf8Parser.TryParse(digits, out id, out var consumed) && consumed == digits.Length && id > 0;
    }

    private static byte[] Write(long? id, string method, ReadOnlySpan<byte> parameters)
    {
        var buffer = new ArrayBufferWriter<byte>(64 + method.Length + parameters.Length);
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            writer.WriteStartObject();
            writer.WriteString("jsonrpc"u8, "2.0"u8);
            if (id is { } value)
            {
                WriteId(writer, value);
            }

            writer.WriteString("method"u8, method);
            if (!parameters.IsEmpty)
            {
                writer.WritePropertyName("params"u8);
                writer.WriteRawValue(parameters, skipInputValidation: true);
            }

            writer.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    private static void WriteId(Utf8JsonWriter writer, long id)
    {
        Span<byte> text = stackalloc byte[24];
        "s:"u8.CopyTo(text);
        Utf8Formatter.TryFormat(id, text[2..], out var written);
        writer.WriteString("id"u8, text[..(2 + written)]);
    }
}
