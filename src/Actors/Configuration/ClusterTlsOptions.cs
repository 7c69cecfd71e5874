namespace ActorRpc;

/// <summary>
/// TLS with mutual authentication between the nodes of the cluster, bound from <c>Cluster:Tls</c>.
/// Off until <see cref="CertificatePath"/> is set; then every remoting connection, in and out, is
/// TLS, each side presents its certificate, and a peer is let in only when its certificate chains
/// to a root this node's PKCS#12 file holds (and matches the pins, when set). Seed node addresses
/// then use the <c>akka.ssl.tcp://</c> scheme.
/// </summary>
/// <remarks>
/// The trusted roots are the self-signed certificates in this node's own PKCS#12 file: the CA that
/// issued the node certificates, exported with them (<c>openssl pkcs12 -export -certfile ca.crt</c>),
/// or the node certificate itself when every node shares one self-signed certificate. A file with
/// no self-signed certificate in it is refused at start-up unless <see cref="Thumbprint"/> pins the
/// peers: it would otherwise trust any certificate a public CA of the machine issued. Host names are not
/// checked, nor is revocation: a node's address is whatever it advertises and gossips (a pod's DNS
/// name in the Kubernetes manifests, an IP elsewhere), so one certificate can serve every node; trust
/// comes from the roots and pins. Rotate the CA, or pin thumbprints, to shut a leaked certificate out.
/// </remarks>
public sealed class ClusterTlsOptions
{
    /// <summary>The configuration path, for error messages: bound as <see cref="ClusterNodeOptions.Tls"/>.</summary>
    internal const string ConfigurationPath = ClusterNodeOptions.SectionName + ":Tls";

    /// <summary>
    /// This node's certificate with its private key, and the CA certificate that issued it, as a
    /// PKCS#12 (.pfx) file. Checked at start-up: the file must exist, open with
    /// <see cref="CertificatePassword"/> and hold a certificate with a private key.
    /// <b>Default:</b> none (cluster TLS off, plain <c>akka.tcp</c>).
    /// </summary>
    public string? CertificatePath { get; set; }

    /// <summary>The password of <see cref="CertificatePath"/>. <b>Default:</b> none (an unprotected file).</summary>
    public string? CertificatePassword { get; set; }

    /// <summary>
    /// An optional pin: the SHA-1 thumbprints (hex, comma-separated, so a renewal can list the old
    /// and the new) a peer's certificate must have, on top of chaining to a trusted root.
    /// <b>Default:</b> none (any certificate the roots issued).
    /// </summary>
    public string? Thumbprint { get; set; }

    /// <summary>
    /// An optional pin: the distinguished name of the issuer a peer's certificate must have, such as
    /// <c>CN=ActorRpc Cluster CA, O=Example</c>, on top of chaining to a trusted root.
    /// <b>Default:</b> none (any issuer under the roots).
    /// </summary>
    public string? Issuer { get; set; }
}
