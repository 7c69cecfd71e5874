using Microsoft.Extensions.Logging;

namespace ActorRpc.Testing;

/// <summary>One entry a test server logged, as <see cref="CapturedLogs"/> kept it.</summary>
/// <param name="Category">The logger's category, usually the full name of the type that logged.</param>
/// <param name="Level">The entry's level.</param>
/// <param name="EventId">The entry's event id (ActorRpc's own log messages have stable ids).</param>
/// <param name="Message">The formatted message.</param>
/// <param name="Exception">The exception logged with it, if any.</param>
public sealed record CapturedLogEntry(string Category, LogLevel Level, EventId EventId, string Message, Exception? Exception)
{
    /// <summary>The entry on one line, for assertion messages.</summary>
    /// <returns>Level, category, message and exception.</returns>
    public override string ToString() => $"{Level} {Category}: {Message} {Exception}";
}
