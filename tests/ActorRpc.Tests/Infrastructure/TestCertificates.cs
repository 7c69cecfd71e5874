using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace ActorRpc.Tests.Infrastructure;

/// <summary>
/// The one maker of test certificates, at test time in a temporary folder it deletes when disposed.
/// PEM output: a self-signed server certificate for 127.0.0.1 (<see cref="ServerPem"/>), as Kestrel's
/// <c>Certificate:Path</c> / <c>Certificate:KeyPath</c> read it. PKCS#12 output: node certificates
/// a test CA issues, each exported with the CA as deploy/README.md tells operators to
/// (<see cref="IssueNode"/>), and self-signed strangers (<see cref="SelfSigned"/>), as
/// <c>Cluster:Tls</c> reads them. ECDSA P-256, so making them takes milliseconds.
/// </summary>
public sealed class TestCertificates : IDisposable
{
    /// <summary>The password of every PKCS#12 file written here.</summary>
    public const string Password = "test-password";

    private static readonly Oid ServerAuthentication = new("1.3.6.1.5.5.7.3.1");
    private static readonly Oid ClientAuthentication = new("1.3.6.1.5.5.7.3.2");

    private readonly X509Certificate2 _ca;

    public TestCertificates(string caName = "CN=ActorRpc Test Cluster CA")
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(caName, key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        _ca = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        CaName = caName;
    }

    /// <summary>The subject of the CA that <see cref="IssueNode"/> certificates chain to.</summary>
    public string CaName { get; }

    public string Folder { get; } = Directory.CreateTempSubdirectory("actorrpc-tls-").FullName;

    /// <summary>
    /// A self-signed server certificate for 127.0.0.1, written as PEM files (certificate and
    /// private key); disposed with this factory's folder.
    /// </summary>
    public TestCertificate ServerPem(string name = "server")
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = Request("CN=ActorRpc test server", key, [ServerAuthentication], dnsName: null);
        var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1));
        var created = new TestCertificate(certificate, Path.Combine(Folder, name + ".crt"), Path.Combine(Folder, name + ".key"));
        File.WriteAllText(created.CertificatePath, certificate.ExportCertificatePem());
        File.WriteAllText(created.KeyPath, key.ExportPkcs8PrivateKeyPem());
        return created;
    }

    /// <summary>A node certificate the CA issued, in a PKCS#12 file with the CA certificate (or without it); returns the file's path.</summary>
    public string IssueNode(string name, bool withCa = true)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = NodeRequest(name, key);
        var serial = RandomNumberGenerator.GetBytes(16);
        serial[0] &= 0x7F;
        using var issued = request.Create(_ca, DateTimeOffset.UtcNow.AddHours(-1), DateTimeOffset.UtcNow.AddHours(12), serial);
        using var withKey = issued.CopyWithPrivateKey(key);
        using var caPublic = X509CertificateLoader.LoadCertificate(_ca.RawData);
        return WritePfx(name, withCa ? new X509Certificate2Collection { withKey, caPublic } : new X509Certificate2Collection { withKey });
    }

    /// <summary>A self-signed certificate no CA issued, alone in a PKCS#12 file; returns the file's path.</summary>
    public string SelfSigned(string name)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var certificate = NodeRequest(name, key).CreateSelfSigned(DateTimeOffset.UtcNow.AddHours(-1), DateTimeOffset.UtcNow.AddHours(12));
        return WritePfx(name, new X509Certificate2Collection { certificate });
    }

    /// <summary>Loads a PKCS#12 file written here: the certificate with the private key.</summary>
    public static X509Certificate2 LoadPfx(string path) =>
        X509CertificateLoader.LoadPkcs12CollectionFromFile(path, Password).First(c => c.HasPrivateKey);

    public void Dispose()
    {
        _ca.Dispose();
        Directory.Delete(Folder, recursive: true);
    }

    private static CertificateRequest NodeRequest(string name, ECDsa key)
    {
        var request = Request($"CN={name}", key, [ServerAuthentication, ClientAuthentication], dnsName: name);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, false));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        return request;
    }

    // Every certificate made here names 127.0.0.1, where every test server listens.
    private static CertificateRequest Request(string subject, ECDsa key, Oid[] usages, string? dnsName)
    {
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([.. usages], critical: false));
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        if (dnsName is not null)
        {
            names.AddDnsName(dnsName);
        }

        request.CertificateExtensions.Add(names.Build());
        return request;
    }

    private string WritePfx(string name, X509Certificate2Collection certificates)
    {
        var path = Path.Combine(Folder, name + ".pfx");
        File.WriteAllBytes(path, certificates.Export(X509ContentType.Pkcs12, Password)!);
        return path;
    }
}
