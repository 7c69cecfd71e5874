namespace ActorRpc.Actors.Routing;

/// <summary>The one place client- or user-chosen names become actor path elements.</summary>
internal static class ActorNames
{
    /// <summary>
    /// Percent-encodes everything but letters, digits, '-', '_' and '.', so any method name is a valid,
    /// unique path element (and none can start with Akka's reserved '$').
    /// </summary>
    public static string ForMethod(string method)
    {
        var builder = new System.Text.StringBuilder("method-", method.Length + 7);
        foreach (var b in System.Text.Encoding.UTF8.GetBytes(method))
        {
            var c = (char)b;
            if (char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.')
            {
                builder.Append(c);
            }
            else
            {
                builder.Append('%').Append(b.ToString("X2", System.Globalization.CultureInfo.InvariantCulture));
            }
        }

        return builder.ToString();
    }
}
