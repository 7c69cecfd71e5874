using System.Text.Json.Nodes;
using Akka.Actor;
using ActorRpc.Methods;
using ActorRpc.Methods.Definition;
using ActorRpc.Methods.Discovery;
using Microsoft.Extensions.Logging.Abstractions;

namespace ActorRpc.Tests.Discovery;

/// <summary>
/// What a method's XML comments give its entry: <c>&lt;summary&gt;</c> the summary, <c>&lt;remarks&gt;</c>
/// the description, for a method and for an actor class. (The test assembly has no documentation
/// file, so its comments are given here; the demo node's are read from its file in DemoNodeDiscoverySpec.)
/// </summary>
public sealed class MethodDescriberSpec
{
    [Fact]
    public void Describe_MethodWithXmlRemarks_SummaryAndDescription()
    {
        var entry = Describe(
            new RpcMethodDescriptor("forget", null!, Docs: MethodDocs.Of(typeof(ShopMethods).GetMethod(nameof(ShopMethods.Forget))!)),
            """
            <member name="M:ActorRpc.Tests.Discovery.ShopMethods.Forget">
              <summary>Forgets the cart.</summary>
              <remarks>Nothing <b>comes</b> <c>back</c>:
              <see cref="M:ActorRpc.Tests.Discovery.ShopMethods.Maybe(System.Nullable{System.Int64})"/> <see cref="T:A.Greet"/> stay.</remarks>
            </member>
            """);

        Assert.Equal("Forgets the cart.", (string?)entry["summary"]);
        Assert.Equal("Nothing comes back: Maybe Greet stay.", (string?)entry["description"]);
    }

    [Fact]
    public void Describe_ActorWithXmlComments_SummaryAndDescriptionFromItsClass()
    {
        var entry = Describe(
            new RpcMethodDescriptor("report", null!, Docs: MethodDocs.OfActor(typeof(ReportActor))),
            """
            <member name="T:ActorRpc.Tests.Discovery.MethodDescriberSpec.ReportActor">
              <summary>Writes a report.</summary>
              <remarks>Once a day.</remarks>
            </member>
            """);

        Assert.Equal("Writes a report.", (string?)entry["summary"]);
        Assert.Equal("Once a day.", (string?)entry["description"]);
        Assert.True((bool?)entry[OpenRpcNodes.ParamsNotDescribed]);
    }

    private static JsonObject Describe(RpcMethodDescriptor descriptor, string member)
    {
        var options = new RpcMethodsOptions().SerializerOptions;
        var files = new XmlDocumentationFiles(NullLogger.Instance);
        files.Use(typeof(MethodDescriberSpec).Assembly, XmlDocumentation.Read($"<doc><members>{member}</members></doc>"));
        var describer = new MethodDescriber(new TypeSchemas(options), options, files, (name, ex) => throw new Xunit.Sdk.XunitException($"{name}: {ex}"));
        return describer.Describe(descriptor);
    }

    public sealed class ReportActor : ReceiveActor
    {
    }
}
