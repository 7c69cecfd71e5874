using System.Reflection;
using ActorRpc.Methods.Discovery;

namespace ActorRpc.Tests.Discovery;

/// <summary>The member ids of XML documentation files, as the C# compiler writes them (ECMA-334 annex D).</summary>
public sealed class XmlDocumentationIdsSpec
{
    [Fact]
    public void Id_PlainMethod_NamespaceTypeAndParameterTypes()
    {
        var method = typeof(Outer<>.Inner).GetMethod(nameof(Outer<int>.Inner.Plain))!;
        Assert.Equal("M:ActorRpc.Tests.Discovery.XmlDocumentationIdsSpec.Outer`1.Inner.Plain(System.Int32,System.String[],System.Nullable{System.Int64})", XmlDocumentationIds.Of(method));
    }

    [Fact]
    public void Id_GenericMethodOfNestedGenericType_TypeAndMethodParametersAndRef()
    {
        var method = typeof(Outer<>.Inner).GetMethod(nameof(Outer<int>.Inner.Generic))!;
        Assert.Equal(
            "M:ActorRpc.Tests.Discovery.XmlDocumentationIdsSpec.Outer`1.Inner.Generic``1(`0,``0[],System.Collections.Generic.Dictionary{System.String,System.Collections.Generic.List{``0}},System.Int32@)",
            XmlDocumentationIds.Of(method));
    }

    [Fact]
    public void Id_MethodOfClosedGenericType_TheDefinitionsId()
    {
        // AddMethods<Handlers<Foo>>: the comments are written once, on Outer`1, with `0 for T.
        var method = typeof(Outer<int>.Inner).GetMethod(nameof(Outer<int>.Inner.Generic))!;
        Assert.Equal(
            "M:ActorRpc.Tests.Discovery.XmlDocumentationIdsSpec.Outer`1.Inner.Generic``1(`0,``0[],System.Collections.Generic.Dictionary{System.String,System.Collections.Generic.List{``0}},System.Int32@)",
            XmlDocumentationIds.Of(method));
    }

    [Fact]
    public void Id_MethodWithoutParameters_NoParentheses()
    {
        Assert.Equal("M:ActorRpc.DemoHost.DemoMethods.Ping", XmlDocumentationIds.Of(typeof(ActorRpc.DemoHost.DemoMethods).GetMethod("Ping")!));
    }

    [Fact]
    public void Summary_FromTheAssemblysXmlFile()
    {
        var method = typeof(ActorRpc.DemoHost.DemoMethods).GetMethod("Divide", BindingFlags.Public | BindingFlags.Static)!;
        var docs = XmlDocumentation.Load(method.Module.Assembly, Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance);
        Assert.Equal("Integer division; dividing by zero throws inside the handler and so shows an internal error.", docs.Summary(method));
        Assert.Equal("The divisor; zero fails.", docs.Param(method, "b"));
    }

    public sealed class Outer<T>
    {
        public sealed class Inner
        {
            public static void Plain(int a, string[] b, long? c)
            {
            }

            public static void Generic<TU>(T a, TU[] b, Dictionary<string, List<TU>> c, ref int d)
            {
            }
        }
    }
}
