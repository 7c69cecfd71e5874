using System.Text.RegularExpressions;
using ActorRpc.Tests.Infrastructure;

namespace ActorRpc.Tests.Deploy;

/// <summary>
/// Issue 12: the hardening of deploy/ stays in place. Plain text checks of the Kubernetes manifests
/// and the Dockerfile (no cluster or container engine runs here): a restricted pod, the cluster
/// certificate from a Secret, client HTTPS, the management port, a NetworkPolicy, a
/// PodDisruptionBudget and pinned images.
/// </summary>
public sealed partial class DeployManifestSpec
{
    private static readonly string Deploy = Path.Combine(ExternalProcess.RepositoryRoot(), "deploy");

    private static string K8s(string file) => File.ReadAllText(Path.Combine(Deploy, "k8s", file));

    [Theory]
    [InlineData("automountServiceAccountToken: false")]
    [InlineData("runAsNonRoot: true")]
    [InlineData("readOnlyRootFilesystem: true")]
    [InlineData("allowPrivilegeEscalation: false")]
    [InlineData("drop: [\"ALL\"]")]
    [InlineData("type: RuntimeDefault")]
    [InlineData("mountPath: /tmp")]
    [InlineData("secretName: actor-rpc-cluster-tls")]
    [InlineData("name: Cluster__Tls__CertificatePath")]
    [InlineData("name: Cluster__Tls__CertificatePassword")]
    [InlineData("secretName: actor-rpc-https")]
    [InlineData("name: Kestrel__Endpoints__Https__Url")]
    [InlineData("name: Kestrel__Endpoints__Https__Certificate__Path")]
    [InlineData("name: Kestrel__Endpoints__Https__Certificate__KeyPath")]
    [InlineData("name: Management__Port")]
    public void StatefulSet_HasHardeningKey(string key) => Assert.Contains(key, K8s("statefulset.yaml"), StringComparison.Ordinal);

    [Fact]
    public void StatefulSet_SeedsSpeakTlsAndProbesUseManagementPort()
    {
        var statefulSet = K8s("statefulset.yaml");
        Assert.DoesNotContain("akka.tcp://", statefulSet, StringComparison.Ordinal);
        Assert.Equal(3, Regex.Matches(statefulSet, @"value: akka\.ssl\.tcp://actor-rpc@").Count);
        Assert.Equal(3, Regex.Matches(statefulSet, @"(?m)^\s+port: management$").Count);
    }

    [Fact]
    public void NetworkPolicy_RemotingPortOnlyFromClusterPods()
    {
        var policy = K8s("networkpolicy.yaml");
        Assert.Contains("kind: NetworkPolicy", policy, StringComparison.Ordinal);
        var remoting = RemotingRule().Match(policy);
        Assert.True(remoting.Success, "No ingress rule admits port 4053 from the app's own pods only.");
        Assert.Contains("kubernetes.io/metadata.name: monitoring", policy, StringComparison.Ordinal);
    }

    [Fact]
    public void Kustomization_ListsEveryManifestAndPinsTheImage()
    {
        var kustomization = K8s("kustomization.yaml");
        foreach (var manifest in Directory.GetFiles(Path.Combine(Deploy, "k8s"), "*.yaml").Select(Path.GetFileName).Where(f => f != "kustomization.yaml"))
        {
            Assert.Contains("  - " + manifest, kustomization, StringComparison.Ordinal);
        }

        Assert.Contains("kind: PodDisruptionBudget", K8s("poddisruptionbudget.yaml"), StringComparison.Ordinal);
        Assert.Matches(@"newTag: \d+\.\d+\.\d+", kustomization);
    }

    [Fact]
    public void Images_PinnedByVersionNeverLatest()
    {
        foreach (var file in Directory.GetFiles(Deploy, "*", SearchOption.AllDirectories).Where(f => f.EndsWith(".yaml", StringComparison.Ordinal) || f.EndsWith(".yml", StringComparison.Ordinal) || f.EndsWith("Dockerfile", StringComparison.Ordinal)))
        {
            Assert.DoesNotMatch(@"image: \S+:latest\b|FROM \S+:latest\b", File.ReadAllText(file));
        }

        var dockerfile = File.ReadAllText(Path.Combine(Deploy, "Dockerfile"));
        Assert.Matches(@"mcr\.microsoft\.com/dotnet/sdk:\d+\.\d+\.\d+", dockerfile);
        Assert.Matches(@"mcr\.microsoft\.com/dotnet/aspnet:\d+\.\d+\.\d+", dockerfile);
        Assert.DoesNotMatch(@"(?m)^FROM mcr\.microsoft\.com/dotnet/\w+:\d+\.\d+ ", dockerfile);
    }

    [Fact]
    public void DockerCompose_WorksWithoutTlsByDefault()
    {
        var compose = File.ReadAllText(Path.Combine(Deploy, "docker-compose.yml"));
        Assert.Contains("Cluster__SeedNodes__0: akka.tcp://actor-rpc@node1:4053", compose, StringComparison.Ordinal);
        Assert.DoesNotMatch(@"(?m)^\s+Cluster__Tls__", compose);
    }

    // An ingress rule whose only source is the app's own pods, on the remoting port.
    [GeneratedRegex(@"- from:\s+- podSelector:\s+matchLabels:\s+app: actor-rpc\s+ports:\s+- port: 4053")]
    private static partial Regex RemotingRule();
}
