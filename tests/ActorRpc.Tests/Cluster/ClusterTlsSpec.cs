using Akka.Actor;
using Akka.Actor.Setup;
using Akka.Configuration;
using Akka.Remote.Transport.DotNetty;
using ActorRpc.Tests.Infrastructure;

namespace ActorRpc.Tests.Cluster;

/// <summary>
/// Issue 12: with <c>Cluster:Tls</c> set, nodes talk TLS with mutual authentication. Nodes whose
/// certificates the same CA issued form a cluster and notifies cross; a stranger that reaches the
/// remoting port and knows the system name, with a certificate of its own, never becomes a member.
/// </summary>
public sealed class ClusterTlsSpec : IDisposable
{
    private readonly TestCertificates _certificates = new();

    public void Dispose() => _certificates.Dispose();

    [Fact]
    public async Task TwoNodes_CertificatesFromSameCa_FormClusterOverTlsAndNotifyCrosses()
    {
        await using var cluster = await StartTlsClusterAsync();

        Assert.All(cluster.Nodes, node => Assert.Equal("akka.ssl.tcp", Akka.Cluster.Cluster.Get(ClusterNodes.SystemOf(node)).SelfAddress.Protocol));
        await using var subscriber = await cluster[1].ConnectAsync();
        await using var publisher = await cluster[0].ConnectAsync();
        JsonAssert.Result(await subscriber.CallAsync("subscribe", new[] { "news" }));
        var marker = Guid.NewGuid().ToString("N");
        var received = await ClusterFanOutSpec.PublishUntilReceivedAsync(publisher, subscriber, "news", marker);
        Assert.Equal("news", received.GetProperty("method").GetString());
    }

    [Fact]
    public async Task Stranger_SelfSignedCertificateAcceptingAnyPeer_RefusedAndNeverAMember()
    {
        await using var cluster = await StartTlsClusterAsync();
        var seed = Akka.Cluster.Cluster.Get(ClusterNodes.SystemOf(cluster[0]));

        // The strongest stranger: it presents a certificate (its own) and trusts whatever the node presents.
        using var strangerCertificate = TestCertificates.LoadPfx(_certificates.SelfSigned("stranger"));
        var setup = ActorSystemSetup.Create(
            BootstrapSetup.Create().WithConfig(ConfigurationFactory.ParseString("""
                akka.actor.provider = cluster
                akka.loglevel = WARNING
                akka.remote.dot-netty.tcp { hostname = 127.0.0.1, port = 0, enable-ssl = true }
                """)),
            new DotNettySslSetup(strangerCertificate, suppressValidation: true, requireMutualAuthentication: true));
        using var stranger = ActorSystem.Create(ClusterNodeOptions.DefaultActorSystemName, setup);
        var strangerAddress = Akka.Cluster.Cluster.Get(stranger).SelfAddress;
        var refused = cluster[0].Logs.WaitForAsync(e => e.Message.Contains("Cluster TLS refused", StringComparison.Ordinal)
            && e.Message.Contains("CN=stranger", StringComparison.Ordinal));

        Akka.Cluster.Cluster.Get(stranger).Join(seed.SelfAddress);
        await refused;

        foreach (var node in cluster.Nodes)
        {
            var members = Akka.Cluster.Cluster.Get(ClusterNodes.SystemOf(node)).State.Members;
            Assert.Equal(2, members.Count);
            Assert.DoesNotContain(members, m => m.Address.Port == strangerAddress.Port);
        }

        Assert.DoesNotContain(Akka.Cluster.Cluster.Get(stranger).State.Members, m => m.Address == seed.SelfAddress);
    }

    private Task<ClusterNodes> StartTlsClusterAsync() => ClusterNodes.StartAsync(2, settings: i =>
    [
        $"--Cluster:Tls:CertificatePath={_certificates.IssueNode($"node-{i}")}",
        $"--Cluster:Tls:CertificatePassword={TestCertificates.Password}",
        $"--Cluster:Tls:Issuer={_certificates.CaName}",
    ]);
}
