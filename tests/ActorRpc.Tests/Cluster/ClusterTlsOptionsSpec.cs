using ActorRpc.Tests.Infrastructure;
using Microsoft.Extensions.Options;

namespace ActorRpc.Tests.Cluster;

/// <summary>Issue 12: a cluster certificate that cannot be used stops the node at start-up, naming the <c>Cluster:Tls</c> setting.</summary>
public sealed class ClusterTlsOptionsSpec : IDisposable
{
    private readonly TestCertificates _certificates = new();

    public void Dispose() => _certificates.Dispose();

    [Fact]
    public async Task CertificatePath_Missing_FailsAtStartupNamingIt()
    {
        var missing = Path.Combine(_certificates.Folder, "missing.pfx");
        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => RpcServer.StartAsync(null, $"--Cluster:Tls:CertificatePath={missing}"));
        Assert.Contains($"Cluster:Tls:CertificatePath '{missing}' does not exist", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CertificatePassword_Wrong_FailsAtStartupNamingIt()
    {
        var path = _certificates.IssueNode("node");
        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => RpcServer.StartAsync(
            null, $"--Cluster:Tls:CertificatePath={path}", "--Cluster:Tls:CertificatePassword=wrong"));
        Assert.Contains("Cluster:Tls:CertificatePassword", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CertificateWithoutPrivateKey_FailsAtStartupNamingIt()
    {
        var path = Path.Combine(_certificates.Folder, "public-only.pfx");
        using (var certificate = TestCertificates.LoadPfx(_certificates.IssueNode("node")))
        using (var publicOnly = System.Security.Cryptography.X509Certificates.X509CertificateLoader.LoadCertificate(certificate.RawData))
        {
            File.WriteAllBytes(path, publicOnly.Export(System.Security.Cryptography.X509Certificates.X509ContentType.Pkcs12, TestCertificates.Password));
        }

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => RpcServer.StartAsync(
            null, $"--Cluster:Tls:CertificatePath={path}", $"--Cluster:Tls:CertificatePassword={TestCertificates.Password}"));
        Assert.Contains("holds no certificate with a private key", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--Cluster:Tls:Thumbprint=not-hex", "Cluster:Tls:Thumbprint")]
    [InlineData("--Cluster:SeedNodes:0=akka.tcp://actor-rpc@127.0.0.1:4053", "Cluster:SeedNodes:0")]
    public async Task MalformedTlsSetting_FailsAtStartupNamingIt(string setting, string key)
    {
        var path = _certificates.IssueNode("node");
        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => RpcServer.StartAsync(
            null, $"--Cluster:Tls:CertificatePath={path}", $"--Cluster:Tls:CertificatePassword={TestCertificates.Password}", setting));
        Assert.Contains(key, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CertificateWithoutItsCaAndNoThumbprint_FailsAtStartupRatherThanTrustTheMachinesRoots()
    {
        var path = _certificates.IssueNode("node", withCa: false);
        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => RpcServer.StartAsync(
            null, $"--Cluster:Tls:CertificatePath={path}", $"--Cluster:Tls:CertificatePassword={TestCertificates.Password}"));
        Assert.Contains("holds no self-signed CA certificate", error.Message, StringComparison.Ordinal);
        Assert.Contains("Cluster:Tls:Thumbprint", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PinWithoutCertificatePath_FailsAtStartupNamingIt()
    {
        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => RpcServer.StartAsync(null, "--Cluster:Tls:Issuer=CN=Some CA"));
        Assert.Contains("Cluster:Tls:CertificatePath must be set", error.Message, StringComparison.Ordinal);
    }
}
