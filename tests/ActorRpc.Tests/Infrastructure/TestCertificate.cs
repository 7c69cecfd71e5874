using System.Net;
using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace ActorRpc.Tests.Infrastructure;

/// <summary>
/// A self-signed server certificate for 127.0.0.1, made at test time and written as PEM files
/// (certificate and private key) in a temporary directory, as Kestrel's
/// <c>Certificate:Path</c> / <c>Certificate:KeyPath</c> read them. Clients trust exactly this
/// certificate (<see cref="Validate"/>), never "any certificate".
/// </summary>
public sealed class TestCertificate : IDisposable
{
    private readonly string _directory;

    private TestCertificate(X509Certificate2 certificate, string directory)
    {
        Certificate = certificate;
        _directory = directory;
        CertificatePath = Path.Combine(directory, "server.crt");
        KeyPath = Path.Combine(directory, "server.key");
    }

    public X509Certificate2 Certificate { get; }

    public string CertificatePath { get; }

    public string KeyPath { get; }

    public static TestCertificate Create()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=ActorRpc test server", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], critical: false)); // server authentication
        var now = DateTimeOffset.UtcNow;
        var certificate = request.CreateSelfSigned(now.AddMinutes(-5), now.AddDays(1));

        var directory = Directory.CreateTempSubdirectory("actorrpc-tls-").FullName;
        var created = new TestCertificate(certificate, directory);
        File.WriteAllText(created.CertificatePath, certificate.ExportCertificatePem());
        File.WriteAllText(created.KeyPath, key.ExportPkcs8PrivateKeyPem());
        return created;
    }

    /// <summary>Kestrel settings for an HTTPS endpoint named <c>Https</c> on a free loopback port, with this certificate.</summary>
    public string[] HttpsEndpointSettings() =>
    [
        "--Kestrel:Endpoints:Https:Url=https://127.0.0.1:0",
        $"--Kestrel:Endpoints:Https:Certificate:Path={CertificatePath}",
        $"--Kestrel:Endpoints:Https:Certificate:KeyPath={KeyPath}",
    ];

    /// <summary>A server-certificate check that accepts this certificate and nothing else.</summary>
    public bool Validate(object sender, X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors) =>
        certificate is not null && certificate.GetCertHashString(HashAlgorithmName.SHA256) == Certificate.GetCertHashString(HashAlgorithmName.SHA256);

    /// <summary>An HTTP client for <paramref name="address"/> that trusts this certificate only.</summary>
    public HttpClient Client(Uri address) => new(new SocketsHttpHandler { SslOptions = { RemoteCertificateValidationCallback = Validate } })
    {
        BaseAddress = address,
        Timeout = TestTimeouts.Long,
    };

    public void Dispose()
    {
        Certificate.Dispose();
        Directory.Delete(_directory, recursive: true);
    }
}
