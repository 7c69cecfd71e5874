using System.Reflection;
using System.Xml;
using ActorRpc.Methods.Discovery;

namespace ActorRpc.Tests.Discovery;

/// <summary>
/// XML documentation files are read as their reader sees them (whitespace between elements kept,
/// then runs collapsed), and read safely: no DTD, nothing resolved.
/// </summary>
public sealed class XmlDocumentationSpec
{
    private static readonly MethodInfo Ping = typeof(ActorRpc.DemoHost.DemoMethods).GetMethod("Ping")!;

    [Fact]
    public void Read_WhitespaceBetweenElements_KeptAsOneSpace()
    {
        var docs = XmlDocumentation.Read(
            """
            <doc><members><member name="M:ActorRpc.DemoHost.DemoMethods.Ping">
              <summary><b>Default:</b> <c>/metrics</c>, see <see cref="T:A.B"/>
              <see cref="T:A.C"/>.</summary>
            </member></members></doc>
            """);

        Assert.Equal("Default: /metrics, see B C.", docs.Summary(Ping));
    }

    [Fact]
    public void Read_Dtd_Refused()
    {
        Assert.Throws<XmlException>(() => XmlDocumentation.Read(
            """
            <!DOCTYPE doc [<!ENTITY big "big">]>
            <doc><members><member name="M:ActorRpc.DemoHost.DemoMethods.Ping"><summary>&big;</summary></member></members></doc>
            """));
    }
}
