using System.Text;

namespace ActorRpc.Methods.Errors;

/// <summary>
/// The one rule for echoing text a client chose (request ids, method names, parameter keys,
/// origins) into logs and error messages: at most <see cref="MaxLength"/> characters, so a client
/// cannot make the server write a megabyte per line or per error (issue #12).
/// </summary>
internal static class ClientText
{
    /// <summary>The longest client text echoed whole, in characters.</summary>
    public const int MaxLength = 128;

    /// <summary>
    /// <paramref name="text"/> itself when short enough; otherwise its first <see cref="MaxLength"/>
    /// characters and a marker saying how long it was (<c>abc…(+872 chars)</c>). Never splits a
    /// surrogate pair.
    /// </summary>
    public static string Bound(string text)
    {
        if (text.Length <= MaxLength)
        {
            return text;
        }

        var keep = char.IsHighSurrogate(text[MaxLength - 1]) ? MaxLength - 1 : MaxLength;
        return string.Concat(text.AsSpan(0, keep), $"…(+{text.Length - keep} chars)");
    }

    /// <summary><see cref="Bound(string)"/> for UTF-8 text (a raw JSON id), decoding only what is kept.</summary>
    public static string Bound(ReadOnlySpan<byte> utf8)
    {
        if (utf8.Length <= MaxLength)
        {
            return Encoding.UTF8.GetString(utf8);
        }

        // At most 4 bytes a character: this prefix holds more than MaxLength characters unless the
        // whole text is short; a character cut at its end lies past what is kept.
        var prefix = Encoding.UTF8.GetString(utf8[..Math.Min(utf8.Length, (MaxLength + 1) * 4)]);
        if (prefix.Length <= MaxLength)
        {
            return prefix;
        }

        var keep = char.IsHighSurrogate(prefix[MaxLength - 1]) ? MaxLength - 1 : MaxLength;
        var keptBytes = Encoding.UTF8.GetByteCount(prefix.AsSpan(0, keep));
        return string.Concat(prefix.AsSpan(0, keep), $"…(+{utf8.Length - keptBytes} bytes)");
    }
}
