using System.Text.Json;

namespace ActorRpc.Methods.Binding;

/// <summary>
/// Checks the text inside a call's params before anything binds or echoes them. JSON allows a
/// lone surrogate escape such as <c>"\uD800"</c>, but it is not Unicode: reading it as a .NET
/// string throws, and so does writing it back out, which turned valid JSON into an internal error.
/// </summary>
internal static class ParamsText
{
    /// <summary>Throws <see cref="RpcInvalidParamsException"/> when a string or property name in <paramref name="rawParams"/> is not valid Unicode.</summary>
    public static void RejectInvalidUnicode(ReadOnlyMemory<byte> rawParams)
    {
        // Only an escape can smuggle in a lone surrogate: the message was already checked to be valid UTF-8.
        if (rawParams.Span.IndexOf("\\u"u8) < 0)
        {
            return;
        }

        var reader = new Utf8JsonReader(rawParams.Span, new JsonReaderOptions { MaxDepth = int.MaxValue });
        while (reader.Read())
        {
            if (reader.TokenType is JsonTokenType.String or JsonTokenType.PropertyName && reader.ValueIsEscaped && !IsUnicode(ref reader))
            {
                throw new RpcInvalidParamsException("Invalid params: a string contains an escape that is not Unicode text (a lone surrogate).");
            }
        }
    }

    private static bool IsUnicode(ref Utf8JsonReader reader)
    {
        try
        {
            _ = reader.GetString();
            return true;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }
}
