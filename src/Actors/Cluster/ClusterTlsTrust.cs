using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Akka.Event;

namespace ActorRpc.Actors.Cluster;

/// <summary>
/// This node's cluster certificate and whom it trusts, loaded from <see cref="ClusterTlsOptions"/>:
/// the certificate it presents on every remoting connection, and the check of the certificate a
/// peer presents (Akka.Remote's <c>CertificateValidationCallback</c>, called on both ends of a
/// handshake since mutual authentication is on).
/// </summary>
internal sealed class ClusterTlsTrust : IDisposable
{
    private readonly X509Certificate2Collection _roots;
    private readonly X509Certificate2Collection _intermediates;
    private readonly string[] _thumbprints;
    private readonly string? _issuer;

    private ClusterTlsTrust(X509Certificate2 certificate, X509Certificate2Collection roots, X509Certificate2Collection intermediates, string[] thumbprints, string? issuer)
    {
        Certificate = certificate;
        _roots = roots;
        _intermediates = intermediates;
        _thumbprints = thumbprints;
        _issuer = issuer;
    }

    /// <summary>The certificate this node presents, with its private key.</summary>
    public X509Certificate2 Certificate { get; }

    /// <summary>Whether the options turn cluster TLS on (a certificate path is set).</summary>
    public static bool IsConfigured(ClusterTlsOptions options) => !string.IsNullOrWhiteSpace(options.CertificatePath);

    /// <summary>
    /// Loads the PKCS#12 file the options name. Throws <see cref="InvalidOperationException"/> naming
    /// the <c>Cluster:Tls</c> setting at fault when the file is missing, does not open with the
    /// password, holds no certificate with a private key, or a pin is malformed.
    /// </summary>
    public static ClusterTlsTrust Load(ClusterTlsOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var path = options.CertificatePath;
        if (string.IsNullOrWhiteSpace(path))
        {
            throw new InvalidOperationException($"{ClusterTlsOptions.ConfigurationPath}:CertificatePath is not set.");
        }

        if (!File.Exists(path))
        {
            throw new InvalidOperationException($"{ClusterTlsOptions.ConfigurationPath}:CertificatePath '{path}' does not exist (a PKCS#12 .pfx file with this node's certificate and its private key).");
        }

        X509Certificate2Collection all;
        try
        {
            all = X509CertificateLoader.LoadPkcs12CollectionFromFile(path, options.CertificatePassword);
        }
        catch (CryptographicException ex)
        {
            throw new InvalidOperationException(
                $"{ClusterTlsOptions.ConfigurationPath}:CertificatePath '{path}' does not open as PKCS#12 with {ClusterTlsOptions.ConfigurationPath}:CertificatePassword: {ex.Message}", ex);
        }

        var certificate = all.FirstOrDefault(c => c.HasPrivateKey);
        if (certificate is null)
        {
            foreach (var other in all)
            {
                other.Dispose();
            }

            throw new InvalidOperationException(
                $"{ClusterTlsOptions.ConfigurationPath}:CertificatePath '{path}' holds no certificate with a private key: a node must prove it owns the certificate it presents.");
        }

        var roots = new X509Certificate2Collection();
        var intermediates = new X509Certificate2Collection();
        foreach (var member in all)
        {
            if (IsSelfSigned(member))
            {
                roots.Add(member);
            }
            else if (!ReferenceEquals(member, certificate))
            {
                intermediates.Add(member);
            }
        }

        var thumbprints = (options.Thumbprint ?? string.Empty)
            .Split([',', ';', ' '], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(t => t.Replace(":", string.Empty, StringComparison.Ordinal).ToUpperInvariant())
            .ToArray();
        if (thumbprints.FirstOrDefault(t => t.Length != 40 || !t.All(Uri.IsHexDigit)) is { } malformed)
        {
            throw new InvalidOperationException($"{ClusterTlsOptions.ConfigurationPath}:Thumbprint '{malformed}' is not a SHA-1 thumbprint (40 hex digits).");
        }

        if (roots.Count == 0 && thumbprints.Length == 0)
        {
            // Without a root of its own the chain would be judged against the machine's public CAs, so
            // any certificate a public CA issued for any name (a free one will do) would join the cluster.
            foreach (var member in all)
            {
                member.Dispose();
            }

            throw new InvalidOperationException(
                $"Cluster:Tls:CertificatePath '{path}' holds no self-signed CA certificate to trust peers by, and Cluster:Tls:Thumbprint is not set: "
                + "the node would trust any certificate of the machine's public CAs. Export the cluster CA into the file with the node's certificate "
                + "(openssl pkcs12 -export ... -certfile ca.crt), or pin the peers' certificates with Cluster:Tls:Thumbprint.");
        }

        string? issuer = null;
        if (!string.IsNullOrWhiteSpace(options.Issuer))
        {
            try
            {
                issuer = new X500DistinguishedName(options.Issuer).Name;
            }
            catch (CryptographicException ex)
            {
                throw new InvalidOperationException($"{ClusterTlsOptions.ConfigurationPath}:Issuer '{options.Issuer}' is not a distinguished name (such as 'CN=ActorRpc Cluster CA'): {ex.Message}", ex);
            }
        }

        return new ClusterTlsTrust(certificate, roots, intermediates, thumbprints, issuer);
    }

    /// <summary>
    /// Decides whether a peer may talk to this node: it presented a certificate, the certificate
    /// chains to one of the roots (the machine's when the file brought none, which only a thumbprint pin allows), and it matches the
    /// pins. Akka's own verdict (<paramref name="errors"/>) is not used: it judges against the
    /// machine's roots and the host name, neither of which a cluster CA on IP addresses satisfies.
    /// </summary>
    public bool Validate(X509Certificate2? certificate, X509Chain? presented, string peer, SslPolicyErrors errors, ILoggingAdapter log)
    {
        if (certificate is null)
        {
            return Refuse(log, peer, "it presented no certificate");
        }

        using var chain = new X509Chain();
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.ExtraStore.AddRange(_intermediates);
        if (presented is not null)
        {
            foreach (var element in presented.ChainElements)
            {
                chain.ChainPolicy.ExtraStore.Add(element.Certificate);
            }
        }

        if (_roots.Count > 0)
        {
            chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
            chain.ChainPolicy.CustomTrustStore.AddRange(_roots);
        }

        if (!chain.Build(certificate))
        {
            var problems = string.Join("; ", chain.ChainStatus.Select(s => s.StatusInformation.Trim()).Distinct());
            return Refuse(log, peer, $"its certificate [{certificate.Subject}] issued by [{certificate.Issuer}] does not chain to a trusted root ({problems})");
        }

        if (_thumbprints.Length > 0 && !_thumbprints.Contains(certificate.Thumbprint, StringComparer.OrdinalIgnoreCase))
        {
            return Refuse(log, peer, $"its certificate's thumbprint {certificate.Thumbprint} is not one of {ClusterTlsOptions.ConfigurationPath}:Thumbprint");
        }

        if (_issuer is not null && !string.Equals(certificate.IssuerName.Name, _issuer, StringComparison.OrdinalIgnoreCase))
        {
            return Refuse(log, peer, $"its certificate's issuer [{certificate.Issuer}] is not {ClusterTlsOptions.ConfigurationPath}:Issuer [{_issuer}]");
        }

        return true;
    }

    public void Dispose()
    {
        Certificate.Dispose();
        foreach (var other in _roots.Concat(_intermediates))
        {
            other.Dispose();
        }
    }

    private static bool Refuse(ILoggingAdapter log, string peer, string reason)
    {
        log.Warning("Cluster TLS refused a connection with [{0}]: {1}.", peer, reason);
        return false;
    }

    private static bool IsSelfSigned(X509Certificate2 certificate) =>
        certificate.SubjectName.RawData.AsSpan().SequenceEqual(certificate.IssuerName.RawData);
}
