using ActorRpc.Actors.Cluster;
using Microsoft.Extensions.Options;

namespace ActorRpc.Gateway.Hosting;

/// <summary>
/// Checks the <c>Cluster</c> section at start-up, so a bad value stops the application with the
/// setting's name rather than failing inside the actor system's construction.
/// </summary>
internal sealed class ClusterNodeOptionsValidator : IValidateOptions<ClusterNodeOptions>
{
    public ValidateOptionsResult Validate(string? name, ClusterNodeOptions options)
    {
        var failures = new List<string>();
        if (options.MaxFrameSize < 128_000)
        {
            failures.Add($"Cluster:MaxFrameSize must be at least 128000 bytes (it is {options.MaxFrameSize}).");
        }

        if (options.SchedulerTick < TimeSpan.FromMilliseconds(1) || options.SchedulerTick > TimeSpan.FromSeconds(1))
        {
            failures.Add($"Cluster:SchedulerTick must be between 1 ms and 1 s (it is {options.SchedulerTick}).");
        }

        if (options.Port is < 0 or > 65535)
        {
            failures.Add($"Cluster:Port must be between 0 and 65535 (it is {options.Port}).");
        }

        if (string.IsNullOrWhiteSpace(options.Hostname))
        {
            failures.Add("Cluster:Hostname must not be empty.");
        }

        ValidateTls(options, failures);
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    // The certificate is loaded here once, so a wrong path or password stops the application with
    // the setting's name before the actor system tries to listen.
    private static void ValidateTls(ClusterNodeOptions options, List<string> failures)
    {
        var tls = options.Tls;
        if (!ClusterTlsTrust.IsConfigured(tls))
        {
            if (!string.IsNullOrWhiteSpace(tls.Thumbprint) || !string.IsNullOrWhiteSpace(tls.Issuer) || !string.IsNullOrEmpty(tls.CertificatePassword))
            {
                failures.Add($"{ClusterTlsOptions.ConfigurationPath}:CertificatePath must be set when other {ClusterTlsOptions.ConfigurationPath} settings are: without it cluster TLS is off.");
            }

            return;
        }

        try
        {
            ClusterTlsTrust.Load(tls).Dispose();
        }
        catch (InvalidOperationException ex)
        {
            failures.Add(ex.Message);
        }

        for (var i = 0; i < options.SeedNodes.Count; i++)
        {
            if (options.SeedNodes[i].StartsWith("akka.tcp://", StringComparison.OrdinalIgnoreCase))
            {
                failures.Add($"Cluster:SeedNodes:{i} '{options.SeedNodes[i]}' must use akka.ssl.tcp:// when {ClusterTlsOptions.ConfigurationPath} is on.");
            }
        }
    }
}
