namespace ActorRpc.Actors.Sessions;

/// <summary>
/// Validates the token of the built-in <c>authenticate</c> with the application's own
/// authentication settings (the gateway's implementation asks ASP.NET Core's default scheme).
/// </summary>
internal interface ISessionAuthenticator
{
    /// <summary>The identity <paramref name="token"/> names; null when it does not validate (or nothing can validate it).</summary>
    Task<SessionIdentity?> AuthenticateAsync(string token, CancellationToken cancellationToken);
}

/// <summary>A node without authentication: every token is refused.</summary>
internal sealed class NoSessionAuthenticator : ISessionAuthenticator
{
    public static NoSessionAuthenticator Instance { get; } = new();

    public Task<SessionIdentity?> AuthenticateAsync(string token, CancellationToken cancellationToken) => Task.FromResult<SessionIdentity?>(null);
}
