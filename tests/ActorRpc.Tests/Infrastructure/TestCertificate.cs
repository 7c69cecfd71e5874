using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace ActorRpc.Tests.Infrastructure;

/// <summary>
/// A server certificate as PEM files (certificate and private key), made by
/// <see cref="TestCertificates.ServerPem"/>. Clients trust exactly this certificate
/// (<see cref="Validate"/>), never "any certificate".
/// </summary>
public sealed class TestCertificate : IDisposable
{
    internal TestCertificate(X509Certificate2 certificate, string certificatePath, string keyPath)
    {
        Certificate = certificate;
        CertificatePath = certificatePath;
        KeyPath = keyPath;
    }

    public X509Certificate2 Certificate { get; }

    public string CertificatePath { get; }

    public string KeyPath { get; }

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

    // The files go with the factory's folder.
    public void Dispose() => Certificate.Dispose();
}
