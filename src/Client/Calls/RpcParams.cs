using System.Buffers;
using System.Text.Json;

namespace ActorRpc.Client;

/// <summary>Turns a call's arguments into its <c>params</c>: positional as an array, named as an object.</summary>
internal static class RpcParams
{
    /// <summary>
    /// The positional params of <paramref name="args"/>, or null (no <c>params</c> member) when there are none.
    /// A <see cref="CancellationToken"/> among them is refused: it was meant for the overload that takes one.
    /// </summary>
    public static JsonElement? Positional(object?[]? args, JsonSerializerOptions options)
    {
        if (args is null || args.Length == 0)
        {
            return null;
        }

        foreach (var arg in args)
        {
            if (arg is CancellationToken)
            {
                throw new ArgumentException("A CancellationToken was passed as a param: pass the args as an array to the overload that takes a CancellationToken.", nameof(args));
            }
        }

        // Each argument by its own runtime type, so a source-generated context needs only the
        // types the application passes (never object[]).
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartArray();
            foreach (var arg in args)
            {
                if (arg is null)
                {
                    writer.WriteNullValue();
                }
                else
                {
                    JsonSerializer.Serialize(writer, arg, arg.GetType(), options);
                }
            }

            writer.WriteEndArray();
        }

        return JsonElement.Parse(buffer.WrittenSpan);
    }

    /// <summary>The named params of <paramref name="args"/> (an object, or a <see cref="JsonElement"/> object or array taken as is).</summary>
    public static JsonElement Named(object args, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(args);
        var element = args as JsonElement? ?? JsonSerializer.SerializeToElement(args, args.GetType(), options);
        if (element.ValueKind is not (JsonValueKind.Object or JsonValueKind.Array))
        {
            throw new ArgumentException($"Named params must serialize to a JSON object; {args.GetType().Name} gave {element.ValueKind}.", nameof(args));
        }

        return element;
    }

    /// <summary>Reads a result (or notification data) as <typeparamref name="T"/>; JSON null is default.</summary>
    public static T? Read<T>(JsonElement element, JsonSerializerOptions options)
    {
        if (typeof(T) == typeof(JsonElement))
        {
            return (T)(object)element;
        }

        return element.ValueKind is JsonValueKind.Null or JsonValueKind.Undefined
            ? default
            : element.Deserialize<T>(options);
    }
}
