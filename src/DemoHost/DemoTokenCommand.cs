using System.Globalization;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace ActorRpc.DemoHost;

/// <summary>
/// <c>token --name alice --permission admin --permission publish [--lifetime 01:00:00]</c>: prints a
/// JWT the node would accept, signed with its configured key, and exits without starting the
/// server. The node's configuration is read as the node reads it (appsettings.json, then
/// appsettings.{Environment}.json, the environment and the remaining arguments, such as
/// <c>--environment Development</c>), so the token matches the node started with the same arguments.
/// </summary>
/// <remarks>
/// The issuer is <c>ValidIssuer</c> (else the first <c>ValidIssuers</c>), the audience the first
/// <c>ValidAudiences</c> (else <c>ValidAudience</c>), and the key the first <c>SigningKeys</c> entry
/// of that issuer (else the first entry): ASP.NET Core only trusts a key whose <c>Issuer</c> is a
/// valid issuer. The token carries <c>sub</c>, <c>unique_name</c> (the user's name once read) and
/// one claim of the permission claim type per <c>--permission</c>.
/// </remarks>
public static class DemoTokenCommand
{
    /// <summary>The first argument that selects this command.</summary>
    public const string Verb = "token";

    /// <summary>The exit code of a refusal: a wrong argument, or no signing key configured.</summary>
    public const int Refused = 2;

    /// <summary>How long a token lives when <c>--lifetime</c> is not given.</summary>
    public static readonly TimeSpan DefaultLifetime = TimeSpan.FromHours(1);

    private const string Usage =
        "Usage: token --name NAME [--permission P]... [--lifetime HH:MM:SS] [configuration arguments, e.g. --environment Development]";

    /// <summary>Whether <paramref name="args"/> ask for this command rather than the server.</summary>
    public static bool IsRequested(string[] args) => args.Length > 0 && args[0] == Verb;

    /// <summary>
    /// Runs the command: <paramref name="args"/> without the verb. Writes the token to
    /// <paramref name="output"/> and returns 0, or writes why not to <paramref name="error"/> and
    /// returns <see cref="Refused"/>.
    /// </summary>
    public static int Run(string[] args, TextWriter output, TextWriter error)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);

        if (!TryParse(args, out var request, out var configurationArgs, out var problem))
        {
            error.WriteLine(problem);
            error.WriteLine(Usage);
            return Refused;
        }

        var configuration = DemoNode.CreateBuilder(configurationArgs).Configuration;
        if (!TryReadSigningSettings(configuration, out var signing, out problem))
        {
            error.WriteLine(problem);
            return Refused;
        }

        var permissionClaimType = configuration[$"{ActorRpcOptions.SectionName}:Authorization:PermissionClaimType"] is { Length: > 0 } type
            ? type
            : RpcAuthorizationOptions.DefaultPermissionClaimType;
        output.WriteLine(Mint(request, signing, permissionClaimType, DateTime.UtcNow));
        return 0;
    }

    private static string Mint(TokenRequest request, SigningSettings signing, string permissionClaimType, DateTime now)
    {
        var claims = new Dictionary<string, object>
        {
            [JwtRegisteredClaimNames.Sub] = request.Name,
            [JwtRegisteredClaimNames.UniqueName] = request.Name,
        };
        if (request.Permissions.Count > 0)
        {
            // An array, read back as one claim per value.
            claims[permissionClaimType] = request.Permissions.ToArray();
        }

        var descriptor = new SecurityTokenDescriptor
        {
            Issuer = signing.Issuer,
            Audience = signing.Audience,
            Claims = claims,
            IssuedAt = now,
            NotBefore = now,
            Expires = now + request.Lifetime,
            SigningCredentials = new SigningCredentials(new SymmetricSecurityKey(signing.Key), SecurityAlgorithms.HmacSha256),
        };
        return new JsonWebTokenHandler().CreateToken(descriptor);
    }

    private static bool TryParse(string[] args, out TokenRequest request, out string[] configurationArgs, out string problem)
    {
        request = default!;
        configurationArgs = [];
        string? name = null;
        var permissions = new List<string>();
        var lifetime = DefaultLifetime;
        var rest = new List<string>();
        for (var i = 0; i < args.Length; i++)
        {
            var (option, inlineValue) = Split(args[i]);
            if (option is not ("--name" or "--permission" or "--lifetime"))
            {
                // Anything else is configuration for the node, as it would read it.
                rest.Add(args[i]);
                continue;
            }

            var value = inlineValue ?? (i + 1 < args.Length ? args[++i] : null);
            if (string.IsNullOrWhiteSpace(value))
            {
                problem = $"{option} needs a value.";
                return false;
            }

            switch (option)
            {
                case "--name":
                    name = value;
                    break;
                case "--permission":
                    permissions.Add(value);
                    break;
                default:
                    if (!TimeSpan.TryParse(value, CultureInfo.InvariantCulture, out lifetime) || lifetime <= TimeSpan.Zero)
                    {
                        problem = $"--lifetime must be a positive duration such as 01:00:00, not '{value}'.";
                        return false;
                    }

                    break;
            }
        }

        if (name is null)
        {
            problem = "--name is required: the user the token is for.";
            return false;
        }

        request = new TokenRequest(name, [.. permissions.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)], lifetime);
        configurationArgs = [.. rest];
        problem = "";
        return true;
    }

    private static (string Option, string? Value) Split(string arg)
    {
        var equals = arg.IndexOf('=', StringComparison.Ordinal);
        return equals < 0 ? (arg, null) : (arg[..equals], arg[(equals + 1)..]);
    }

    private static bool TryReadSigningSettings(IConfiguration configuration, out SigningSettings signing, out string problem)
    {
        signing = default!;
        var bearer = configuration.GetSection(DemoAuthentication.BearerSection);
        var keys = bearer.GetSection("SigningKeys").GetChildren().ToList();
        if (!bearer.Exists() || keys.Count == 0)
        {
            problem = $"No signing key configured ({DemoAuthentication.BearerSection}:SigningKeys), so the node would accept no token. "
                + "The development key is in appsettings.Development.json: add --environment Development.";
            return false;
        }

        var issuer = bearer["ValidIssuer"] ?? bearer.GetSection("ValidIssuers").GetChildren().Select(child => child.Value).FirstOrDefault(value => value is not null);
        var key = keys.FirstOrDefault(entry => issuer is not null && entry["Issuer"] == issuer) ?? keys[0];
        issuer ??= key["Issuer"];
        var audience = bearer.GetSection("ValidAudiences").GetChildren().Select(child => child.Value).FirstOrDefault(value => value is not null)
            ?? bearer["ValidAudience"];

        byte[] bytes;
        try
        {
            bytes = Convert.FromBase64String(key["Value"] ?? "");
        }
        catch (FormatException)
        {
            problem = $"{key.Path}:Value is not base64.";
            return false;
        }

        if (bytes.Length < 32)
        {
            problem = $"{key.Path}:Value must hold at least 32 bytes (256 bits) for HS256, it holds {bytes.Length}.";
            return false;
        }

        signing = new SigningSettings(issuer, audience, bytes);
        problem = "";
        return true;
    }

    private sealed record TokenRequest(string Name, IReadOnlyList<string> Permissions, TimeSpan Lifetime);

    private sealed record SigningSettings(string? Issuer, string? Audience, byte[] Key);
}
