using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace ActorRpc.Gateway.Hosting;

/// <summary>
/// Checks every part of <see cref="ActorRpcOptions"/> against its data annotations when the
/// application starts, naming each failure by its configuration key (<c>ActorRpc:Limits:MaxBatchSize</c>),
/// since that is where a user will look.
/// </summary>
internal sealed class ActorRpcOptionsValidator : IValidateOptions<ActorRpcOptions>
{
    public ValidateOptionsResult Validate(string? name, ActorRpcOptions options)
    {
        var failures = new List<string>();
        Check(options.Limits, "ActorRpc:Limits", failures);
        Check(options.Endpoint, "ActorRpc:Endpoint", failures);
        Check(options.Protocol, "ActorRpc:Protocol", failures);
        if (options.Methods.PrefixSeparator is { Length: 0 })
        {
            failures.Add("ActorRpc:Methods:PrefixSeparator must not be empty.");
        }

        if (string.IsNullOrWhiteSpace(options.Authorization.PermissionClaimType))
        {
            failures.Add("ActorRpc:Authorization:PermissionClaimType must name a claim type (default: permission).");
        }

        // Unset means "from the entry assembly"; set, they are the document's info and must say something.
        if (options.Discovery.Title is { } title && string.IsNullOrWhiteSpace(title))
        {
            failures.Add("ActorRpc:Discovery:Title must not be empty; leave it unset for the entry assembly's name.");
        }

        if (options.Discovery.Version is { } version && string.IsNullOrWhiteSpace(version))
        {
            failures.Add("ActorRpc:Discovery:Version must not be empty; leave it unset for the entry assembly's version.");
        }

        if (!Enum.IsDefined(options.Methods.MethodNaming))
        {
            failures.Add($"ActorRpc:Methods:MethodNaming must be one of {string.Join(", ", Enum.GetNames<RpcMethodNaming>())}.");
        }

        if (!Enum.IsDefined(options.Protocol.Compatibility))
        {
            failures.Add($"ActorRpc:Protocol:Compatibility must be one of {string.Join(", ", Enum.GetNames<RpcCompatibility>())}.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void Check(object section, string path, List<string> failures)
    {
        var results = new List<ValidationResult>();
        if (Validator.TryValidateObject(section, new ValidationContext(section), results, validateAllProperties: true))
        {
            return;
        }

        foreach (var result in results)
        {
            var members = string.Join(", ", result.MemberNames.Select(member => $"{path}:{member}"));
            failures.Add(members.Length == 0 ? $"{path}: {result.ErrorMessage}" : $"{members}: {result.ErrorMessage}");
        }
    }
}
