using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;
using ActorRpc.Methods.Definition;

namespace ActorRpc.Actors.Protocol;

/// <summary>
/// Writes complete response frames. Every frame has <c>"jsonrpc":"2.0"</c>, the request's id
/// exactly as it was sent (null when it had none), and exactly one of <c>result</c> or <c>error</c>.
/// </summary>
internal static class JsonRpcResponseWriter
{
    private static readonly JsonWriterOptions WriterOptions = new()
    {
        // Relaxed escaping keeps non-ASCII text readable; it is still valid JSON for any client.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        SkipValidation = true,
    };

    public static byte[] Result(ReadOnlyMemory<byte> id, in RpcValue value, JsonSerializerOptions options)
    {
        var scratch = FrameScratch.Rent();
        try
        {
            var writer = scratch.Writer;
            WriteHeader(writer, id);
            writer.WritePropertyName("result"u8);
            if (value.Value is null)
            {
                writer.WriteNullValue();
            }
            else
            {
                JsonSerializer.Serialize(writer, value.Value, value.Type == typeof(object) ? value.Value.GetType() : value.Type, options);
            }

            writer.WriteEndObject();
            return scratch.ToFrame();
        }
        finally
        {
            scratch.Return();
        }
    }

    public static byte[] Error(ReadOnlyMemory<byte> id, RpcError error, JsonSerializerOptions options)
    {
        var scratch = FrameScratch.Rent();
        try
        {
            var writer = scratch.Writer;
            WriteHeader(writer, id);
            writer.WriteStartObject("error"u8);
            writer.WriteNumber("code"u8, error.Code);
            writer.WriteString("message"u8, error.Message);
            if (error.Data is not null)
            {
                writer.WritePropertyName("data"u8);
                JsonSerializer.Serialize(writer, error.Data, error.Data.GetType(), options);
            }

            writer.WriteEndObject();
            writer.WriteEndObject();
            return scratch.ToFrame();
        }
        finally
        {
            scratch.Return();
        }
    }

    /// <summary>
    /// Writes the notification <c>{"jsonrpc":"2.0","method":topic,"params":data}</c> (no id member).
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="data"/> is not a JSON object or array.</exception>
    public static byte[] Notification(string method, object data, JsonSerializerOptions options)
    {
        var scratch = FrameScratch.Rent();
        try
        {
            var (writer, buffer) = (scratch.Writer, scratch.Buffer);
            writer.WriteStartObject();
            writer.WriteString("jsonrpc"u8, "2.0"u8);
            writer.WriteString("method"u8, method);
            writer.WritePropertyName("params"u8);
            writer.Flush();
            var paramsStart = buffer.WrittenCount;
            JsonSerializer.Serialize(writer, data, data.GetType(), options);
            writer.Flush();
            if (buffer.WrittenCount == paramsStart || buffer.WrittenSpan[paramsStart] is not ((byte)'{' or (byte)'['))
            {
                throw new ArgumentException("Notification data must be a JSON object or array (JSON-RPC params are structured).", nameof(data));
            }

            writer.WriteEndObject();
            return scratch.ToFrame();
        }
        finally
        {
            scratch.Return();
        }
    }

    /// <summary>
    /// The writer and buffer a frame is built in, one kept per thread and reused, so a frame costs
    /// one array of its own length. A new writer and a 128-byte buffer per frame cost about 700
    /// bytes more (a ping's result frame: 792 bytes allocated, 64 of them the frame; bench/Micro,
    /// SerializeBenchmarks): the writer asks for more than 128 bytes before writing any, so the
    /// buffer was regrown for every frame. System.Text.Json caches its own writers per thread alike.
    /// </summary>
    private sealed class FrameScratch
    {
        // A thread keeps at most this much after a large frame; a larger buffer goes with its frame.
        private const int MaxRetainedBytes = 16 * 1024;

        [ThreadStatic]
        private static FrameScratch? _perThread;

        private bool _inUse;

        private FrameScratch()
        {
            Buffer = new ArrayBufferWriter<byte>(512);
            Writer = new Utf8JsonWriter(Buffer, WriterOptions);
        }

        public ArrayBufferWriter<byte> Buffer { get; }

        public Utf8JsonWriter Writer { get; }

        public static FrameScratch Rent()
        {
            var scratch = _perThread ??= new FrameScratch();

            // In use already: a serializer callback writing a frame of its own. It gets a fresh one.
            if (scratch._inUse)
            {
                return new FrameScratch();
            }

            scratch._inUse = true;
            return scratch;
        }

        /// <summary>The frame written so far, as an array of its own.</summary>
        public byte[] ToFrame()
        {
            Writer.Flush();
            return Buffer.WrittenSpan.ToArray();
        }

        /// <summary>Makes the scratch ready for the next frame, also after a failed write (the writer forgets any half-written state).</summary>
        public void Return()
        {
            Writer.Reset();
            Buffer.ResetWrittenCount();
            _inUse = false;
            if (ReferenceEquals(_perThread, this) && Buffer.Capacity > MaxRetainedBytes)
            {
                _perThread = null;
            }
        }
    }

    private static void WriteHeader(Utf8JsonWriter writer, ReadOnlyMemory<byte> id)
    {
        writer.WriteStartObject();
        writer.WriteString("jsonrpc"u8, "2.0"u8);
        writer.WritePropertyName("id"u8);
        if (id.IsEmpty)
        {
            // No usable id (absent, or undetectable in an invalid request): the specification says null.
            writer.WriteNullValue();
        }
        else
        {
            writer.WriteRawValue(id.Span, skipInputValidation: true);
        }
    }
}
