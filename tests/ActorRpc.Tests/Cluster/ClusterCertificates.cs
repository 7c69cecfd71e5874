using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace ActorRpc.Tests.Cluster;

/// <summary>
/// Certificates made at test time in a temporary folder: a cluster CA, node certificates it
/// issues (each exported with the CA, as deploy/README.md tells operators to), and self-signed
/// strangers. ECDSA P-256, so making them takes milliseconds.
/// </summary>
public sealed class ClusterCertificates : IDisposable
{
    public const string Password = "test-password";

    private readonly string _folder = Directory.CreateTempSubdirectory("actorrpc-cluster-tls-").FullName;
    private readonly X509Certificate2 _ca;

    public ClusterCertificates(string caName = "CN=ActorRpc Test Cluster CA")
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(caName, key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        _ca = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        CaName = caName;
    }

    public string CaName { get; }

    public string Folder => _folder;

    /// <summary>A node certificate the CA issued, in a PKCS#12 file with the CA certificate; returns the file's path.</summary>
    public string IssueNode(string name)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = NodeRequest(name, key);
        var serial = RandomNumberGenerator.GetBytes(16);
        serial[0] &= 0x7F;
        using var issued = request.Create(_ca, DateTimeOffset.UtcNow.AddHours(-1), DateTimeOffset.UtcNow.AddHours(12), serial);
        using var withKey = issued.CopyWithPrivateKey(key);
        using var caPublic = X509CertificateLoader.LoadCertificate(_ca.RawData);
        return Write(name, new X509Certificate2Collection { withKey, caPublic });
    }

    /// <summary>A node certificate the CA issued, alone in a PKCS#12 file (without the CA); returns the file's path.</summary>
    public string IssueNodeWithoutCa(string name)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var serial = RandomNumberGenerator.GetBytes(16);
        serial[0] &= 0x7F;
        using var issued = NodeRequest(name, key).Create(_ca, DateTimeOffset.UtcNow.AddHours(-1), DateTimeOffset.UtcNow.AddHours(12), serial);
        using var withKey = issued.CopyWithPrivateKey(key);
        return Write(name, new X509Certificate2Collection { withKey });
    }

    /// <summary>A self-signed certificate no cluster CA issued, alone in a PKCS#12 file; returns the file's path.</summary>
    public string SelfSigned(string name)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var certificate = NodeRequest(name, key).CreateSelfSigned(DateTimeOffset.UtcNow.AddHours(-1), DateTimeOffset.UtcNow.AddHours(12));
        return Write(name, new X509Certificate2Collection { certificate });
    }

    /// <summary>Loads a file written here, with its private key.</summary>
    public static X509Certificate2 LoadNode(string path) =>
        X509CertificateLoader.LoadPkcs12CollectionFromFile(path, Password).First(c => c.HasPrivateKey);

    public void Dispose()
    {
        _ca.Dispose();
        Directory.Delete(_folder, recursive: true);
    }

    private static CertificateRequest NodeRequest(string name, ECDsa key)
    {
        var request = new CertificateRequest($"CN={name}", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, false));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(
            [new Oid("1.3.6.1.5.5.7.3.1"), new Oid("1.3.6.1.5.5.7.3.2")], false)); // server and client authentication
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        names.AddDnsName(name);
        request.CertificateExtensions.Add(names.Build());
        return request;
    }

    private string Write(string name, X509Certificate2Collection certificates)
    {
        var path = Path.Combine(_folder, name + ".pfx");
        File.WriteAllBytes(path, certificates.Export(X509ContentType.Pkcs12, Password)!);
        return path;
    }
}
