using System.Text.Json;
using System.Text.Json.Serialization;

namespace ActorRpc.Methods.Discovery;

/// <summary>
/// One caller's <c>rpc.discover</c> answer: the parts of the node's document it may see, each
/// already UTF-8 JSON (<see cref="OpenRpcDocumentBuilder"/> renders them once), written as they are.
/// The server's naming policy never touches them: OpenRPC's member names are fixed.
/// </summary>
[JsonConverter(typeof(OpenRpcDocumentConverter))]
internal sealed class OpenRpcDocument(byte[] info, IReadOnlyList<byte[]> methods, IReadOnlyList<byte[]> topics, byte[]? serialized = null)
{
    public byte[] Info { get; } = info;

    public IReadOnlyList<byte[]> Methods { get; } = methods;

    public IReadOnlyList<byte[]> Topics { get; } = topics;

    /// <summary>The whole document already written, when it is the same for every caller; null otherwise.</summary>
    public byte[]? Serialized { get; } = serialized;
}

/// <summary>Writes an <see cref="OpenRpcDocument"/>; it is only ever written, never read.</summary>
internal sealed class OpenRpcDocumentConverter : JsonConverter<OpenRpcDocument>
{
    /// <summary>The version of the OpenRPC specification the document follows (its <c>openrpc</c> member).</summary>
    internal const string OpenRpcVersion = "1.3.2";

    public override OpenRpcDocument Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        throw new NotSupportedException("An OpenRPC document is only written.");

    public override void Write(Utf8JsonWriter writer, OpenRpcDocument value, JsonSerializerOptions options)
    {
        if (value.Serialized is { } whole)
        {
            writer.WriteRawValue(whole, skipInputValidation: true);
            return;
        }

        writer.WriteStartObject();
        writer.WriteString("openrpc"u8, OpenRpcVersion);
        writer.WritePropertyName("info"u8);
        writer.WriteRawValue(value.Info, skipInputValidation: true);
        writer.WriteStartArray("methods"u8);
        foreach (var method in value.Methods)
        {
            writer.WriteRawValue(method, skipInputValidation: true);
        }

        writer.WriteEndArray();
        writer.WriteStartArray(OpenRpcDocumentBuilder.TopicsExtension);
        foreach (var topic in value.Topics)
        {
            writer.WriteRawValue(topic, skipInputValidation: true);
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
    }
}
