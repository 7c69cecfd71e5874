using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ActorRpc.Tests.Infrastructure;

/// <summary>
/// A test authentication scheme: the request is user <c>X-Test-User</c> when that header is present,
/// anonymous otherwise. A user may also be given roles (<c>X-Test-Roles</c>), permissions
/// (<c>X-Test-Permissions</c>, claims of type <c>permission</c>) and any other claims
/// (<c>X-Test-Claims</c>, <c>type=value</c> pairs), each list comma-separated.
/// </summary>
public sealed class HeaderAuthenticationHandler(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "TestHeader";

    public const string Header = "X-Test-User";

    public const string RolesHeader = "X-Test-Roles";

    public const string PermissionsHeader = "X-Test-Permissions";

    public const string ClaimsHeader = "X-Test-Claims";

    /// <summary>The claim type <c>X-Test-Permissions</c> gives: ActorRpc's default permission claim type.</summary>
    public const string PermissionClaimType = "permission";

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (!Request.Headers.TryGetValue(Header, out var user) || string.IsNullOrEmpty(user))
        {
            return Task.FromResult(AuthenticateResult.NoResult());
        }

        var claims = new List<Claim> { new(ClaimTypes.Name, user.ToString()) };
        claims.AddRange(List(RolesHeader).Select(role => new Claim(ClaimTypes.Role, role)));
        claims.AddRange(List(PermissionsHeader).Select(permission => new Claim(PermissionClaimType, permission)));
        foreach (var pair in List(ClaimsHeader))
        {
            var equals = pair.IndexOf('=', StringComparison.Ordinal);
            claims.Add(new Claim(pair[..equals], pair[(equals + 1)..]));
        }

        var identity = new ClaimsIdentity(claims, SchemeName);
        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName)));
    }

    private IEnumerable<string> List(string header) =>
        Request.Headers.TryGetValue(header, out var values)
            ? values.SelectMany(v => (v ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            : [];
}
