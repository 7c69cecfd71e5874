using System.Text.Json;

namespace ActorRpc.Actors.ClientCalls;

/// <summary>Turns the <c>args</c> of an <see cref="IRpcClient"/> call into the raw JSON of its params.</summary>
internal static class ClientCallArgs
{
    /// <summary>
    /// Null: no params (empty). Anything else is serialized with <paramref name="options"/>: a sequence
    /// becomes positional params (an array), any other object named params (an object), a
    /// <see cref="JsonElement"/> stays as it is. A value that serializes to neither an array nor an
    /// object (a string, a number) cannot be params.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="args"/> is not null, a sequence or an object.</exception>
    public static byte[] Serialize(object? args, JsonSerializerOptions options)
    {
        if (args is null)
        {
            return [];
        }

        var json = JsonSerializer.SerializeToUtf8Bytes(args, args.GetType(), options);
        var first = json.AsSpan().TrimStart(" \t\r\n"u8);
        if (first.IsEmpty || (first[0] != (byte)'[' && first[0] != (byte)'{'))
        {
            throw new ArgumentException(
                $"The args of a call to the client must be null (no params), a sequence (positional params) or an object (named params); {args.GetType()} is serialized as neither.",
                nameof(args));
        }

        return json;
    }
}
