using System.Text.Json;
using ActorRpc.DemoHost;
using ActorRpc.Tests.Infrastructure;

namespace ActorRpc.Tests.Discovery;

/// <summary>
/// The demo node's document: summaries and param descriptions come from the XML comments of
/// src/DemoHost/DemoMethods.cs (ActorRpc.DemoHost.xml beside the assembly), errors from its
/// <c>[ProducesRpcError]</c>s, and a guarded method stays hidden from an anonymous caller.
/// </summary>
public sealed class DemoNodeDiscoverySpec
{
    [Fact]
    public async Task Discover_DemoNode_SummariesAndParamDescriptionsFromXmlComments()
    {
        var document = await DiscoverAsync();
        Assert.Equal("Answers \"pong\".", Method(document, "ping").GetProperty("summary").GetString());

        // <paramref name="ms"/> is written as its name, and whitespace is collapsed.
        var sleep = Method(document, "sleep");
        Assert.Equal("Waits ms milliseconds, then returns it; cancelled with its connection.", sleep.GetProperty("summary").GetString());
        var ms = Assert.Single(sleep.GetProperty("params").EnumerateArray());
        Assert.Equal("How long to wait, in milliseconds (0 to 600000).", ms.GetProperty("description").GetString());
        Assert.Equal("The milliseconds waited.", sleep.GetProperty("result").GetProperty("description").GetString());

        // <remarks> is the description; the whitespace between two elements is kept ("<b>-32603</b> <c>Internal error</c>").
        Assert.Equal(
            "The error is declared with ProducesRpcErrorAttribute, so rpc.discover lists it: -32603 Internal error.",
            Method(document, "divide").GetProperty("description").GetString());

        var add = Method(document, "add");
        Assert.StartsWith("Adds two numbers. Integers stay integers", add.GetProperty("summary").GetString());
        Assert.Equal(["a", "b"], add.GetProperty("params").EnumerateArray().Select(p => p.GetProperty("name").GetString()));
    }

    [Fact]
    public async Task Discover_DemoNode_DeclaredErrors()
    {
        var document = await DiscoverAsync();
        JsonAssert.Equivalent(
            $$"""[{"code":{{DemoMethods.ComputerSaysNoCode}},"message":"Computer says no."}]""",
            Method(document, "computer_says_no").GetProperty("errors").GetRawText());
        Assert.Equal(-32602, Assert.Single(Method(document, "add").GetProperty("errors").EnumerateArray()).GetProperty("code").GetInt32());
        Assert.Equal(-32603, Assert.Single(Method(document, "divide").GetProperty("errors").EnumerateArray()).GetProperty("code").GetInt32());
    }

    [Fact]
    public async Task Discover_DemoNodeWithAuthentication_AnonymousDoesNotSeeGuardedMethodsOrTopics()
    {
        await using var server = await RpcServer.StartAsync(null, ActorRpc.Tests.DemoHost.DemoAuthenticationSpec.SecuredDemoNode.Settings);
        await using var socket = await server.ConnectAsync();
        var document = JsonAssert.Result(await socket.CallAsync("rpc.discover"));
        var names = document.GetProperty("methods").EnumerateArray().Select(m => m.GetProperty("name").GetString()).ToList();
        Assert.Contains("ping", names);
        Assert.DoesNotContain("whoami", names);
        Assert.DoesNotContain("publish", names);
        var topics = document.GetProperty("x-topics").EnumerateArray().Select(t => t.GetProperty("name").GetString()).ToList();
        Assert.Contains(DemoMethods.ClockTopic, topics);
        Assert.DoesNotContain(DemoMethods.AdminTopic, topics);
    }

    internal static async Task<JsonElement> DiscoverAsync()
    {
        await using var server = await RpcServer.StartAsync();
        await using var socket = await server.ConnectAsync();
        return JsonAssert.Result(await socket.CallAsync("rpc.discover")).Clone();
    }

    private static JsonElement Method(JsonElement document, string name) => OpenRpcDocumentSpec.Method(document, name);
}
