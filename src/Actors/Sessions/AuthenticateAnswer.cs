using System.Security.Claims;
using System.Text.Json.Serialization;
using ActorRpc.Methods.Definition;

namespace ActorRpc.Actors.Sessions;

/// <summary>The result of a successful <c>authenticate</c>: who the connection is now, and until when.</summary>
/// <param name="Name">The user's name (<c>Identity.Name</c>, else its <c>name</c> or <c>sub</c> claim); null when it has none.</param>
/// <param name="Expires">
/// When the token's lifetime ends, in UTC; null for never. A UTC <see cref="DateTime"/>, so it is
/// written in ISO 8601 with <c>Z</c> (<c>"2026-12-03T15:00:00Z"</c>), as clients of JWT's <c>exp</c> expect.
/// </param>
internal sealed record AuthenticateAnswer(
    [property: JsonPropertyName("name")] string? Name,
    [property: JsonPropertyName("expires")] DateTime? Expires)
{
    public static RpcValue Of(SessionIdentity identity) =>
        new(new AuthenticateAnswer(NameOf(identity.User), identity.ExpiresAt?.UtcDateTime), typeof(AuthenticateAnswer));

    public static string? NameOf(ClaimsPrincipal? user) =>
        user?.Identity?.Name ?? user?.FindFirst("name")?.Value ?? user?.FindFirst("sub")?.Value ?? user?.FindFirst(ClaimTypes.NameIdentifier)?.Value;
}
