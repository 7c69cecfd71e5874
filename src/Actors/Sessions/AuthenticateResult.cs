using System.Security.Claims;
using System.Text.Json.Serialization;
using ActorRpc.Methods.Definition;

namespace ActorRpc.Actors.Sessions;

/// <summary>The result of a successful <c>authenticate</c>: who the connection is now, and until when.</summary>
/// <param name="Name">The user's name (<c>Identity.Name</c>, else its <c>name</c> or <c>sub</c> claim); null when it has none.</param>
/// <param name="Expires">When the token's lifetime ends (ISO 8601); null for never.</param>
internal sealed record AuthenticateResult(
    [property: JsonPropertyName("name")] string? Name,
    [property: JsonPropertyName("expires")] DateTimeOffset? Expires)
{
    public static RpcValue Of(SessionIdentity identity) =>
        new(new AuthenticateResult(NameOf(identity.User), identity.ExpiresAt?.ToUniversalTime()), typeof(AuthenticateResult));

    public static string? NameOf(ClaimsPrincipal? user) =>
        user?.Identity?.Name ?? user?.FindFirst("name")?.Value ?? user?.FindFirst("sub")?.Value ?? user?.FindFirst(ClaimTypes.NameIdentifier)?.Value;
}
