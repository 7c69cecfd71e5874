using System.Buffers;
using System.Text.Json;

namespace ActorRpc.Client;

/// <summary>
/// Writes every JSON-RPC message the client sends, as UTF-8 bytes ready for one WebSocket message or
/// POST body. One place knows the wire shape: requests carry numeric ids (1, 2, 3...), so they never
/// equal the server's own string ids (<c>"s:&lt;n&gt;"</c>) answered with <see cref="Result"/> or <see cref="Error"/>.
/// </summary>
internal static class RpcFrames
{
    /// <summary>The method that asks the other side to give up a call.</summary>
    public const string CancelRequestMethod = "$/cancelRequest";

    /// <summary>A request (<paramref name="id"/> set) or a notification (null), with its params when there are any.</summary>
    public static byte[] Message(long? id, string method, JsonElement? parameters) =>
        Write(writer => WriteMessage(writer, id, method, parameters));

    /// <summary>A batch: one array of requests and notifications, sent as one message.</summary>
    public static byte[] Batch(IReadOnlyList<(long? Id, string Method, JsonElement? Parameters)> entries) =>
        Write(writer =>
        {
            writer.WriteStartArray();
            foreach (var (id, method, parameters) in entries)
            {
                WriteMessage(writer, id, method, parameters);
            }

            writer.WriteEndArray();
        });

    /// <summary>The notification that cancels the client's call <paramref name="id"/> on the server.</summary>
    public static byte[] CancelRequest(long id) =>
        Write(writer =>
        {
            writer.WriteStartObject();
            writer.WriteString("jsonrpc", "2.0");
            writer.WriteString("method", CancelRequestMethod);
            writer.WriteStartObject("params");
            writer.WriteNumber("id", id);
            writer.WriteEndObject();
            writer.WriteEndObject();
        });

    /// <summary>The answer to the server's call <paramref name="id"/> (its id as the server wrote it).</summary>
    public static byte[] Result(JsonElement id, JsonElement result) =>
        Write(writer =>
        {
            writer.WriteStartObject();
            writer.WriteString("jsonrpc", "2.0");
            writer.WritePropertyName("id");
            id.WriteTo(writer);
            writer.WritePropertyName("result");
            result.WriteTo(writer);
            writer.WriteEndObject();
        });

    /// <summary>The error answer to the server's call <paramref name="id"/>.</summary>
    public static byte[] Error(JsonElement id, int code, string message, JsonElement? data) =>
        Write(writer =>
        {
            writer.WriteStartObject();
            writer.WriteString("jsonrpc", "2.0");
            writer.WritePropertyName("id");
            id.WriteTo(writer);
            writer.WriteStartObject("error");
            writer.WriteNumber("code", code);
            writer.WriteString("message", message);
            if (data is { } value)
            {
                writer.WritePropertyName("data");
                value.WriteTo(writer);
            }

            writer.WriteEndObject();
            writer.WriteEndObject();
        });

    private static void WriteMessage(Utf8JsonWriter writer, long? id, string method, JsonElement? parameters)
    {
        writer.WriteStartObject();
        writer.WriteString("jsonrpc", "2.0");
        writer.WriteString("method", method);
        if (parameters is { } value)
        {
            writer.WritePropertyName("params");
            value.WriteTo(writer);
        }

        if (id is { } number)
        {
            writer.WriteNumber("id", number);
        }

        writer.WriteEndObject();
    }

    private static byte[] Write(Action<Utf8JsonWriter> write)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            write(writer);
        }

        return buffer.WrittenSpan.ToArray();
    }
}
