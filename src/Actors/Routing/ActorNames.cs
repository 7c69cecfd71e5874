namespace ActorRpc.Actors.Routing;

/// <summary>The one place client- or user-chosen names become actor path elements.</summary>
internal static class ActorNames
{
    /// <summary>The method host, parent of every method router (<c>/user/methods</c>); the same on every node, so routers can be found across the cluster.</summary>
    public const string Methods = "methods";

    /// <summary>The topics actor, parent of every topic actor.</summary>
    public const string Topics = "topics";

    /// <summary>The session manager, parent of every session.</summary>
    public const string Sessions = "sessions";

    /// <summary>The path of <paramref name="method"/>'s router on any node.</summary>
    public static string RouterPath(string method) => $"/user/{Methods}/{ForMethod(method)}";

    /// <summary>
    /// Percent-encodes everything but letters, digits, '-', '_' and '.', so any method name is a valid,
    /// unique path element (and none can start with Akka's reserved '$').
    /// </summary>
    public static string ForMethod(string method) => Encode("method-", method);

    public static string Encode(string prefix, string name)
    {
        var builder = new System.Text.StringBuilder(prefix, name.Length + prefix.Length);
        foreach (var b in System.Text.Encoding.UTF8.GetBytes(name))
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
