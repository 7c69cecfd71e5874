using System.Text.Json;
using ActorRpc.Tests.Infrastructure;
using ActorRpc.Tests.Security;

namespace ActorRpc.Tests.Discovery;

/// <summary>
/// Issue 15: <c>rpc.discover</c> answers an OpenRPC 1.3.2 document describing each method from its
/// .NET signature and attributes, the built-ins by hand, and the topics in <c>x-topics</c>.
/// </summary>
public sealed class OpenRpcDocumentSpec(DiscoveryAppFixture fixture) : IClassFixture<DiscoveryAppFixture>
{
    private static readonly TestCaller Admin = TestCaller.User("root", permissions: ["jobs.run"]);

    [Fact]
    public async Task Discover_Document_OpenRpcVersionAndInfoFromConfiguration()
    {
        var document = await fixture.DiscoverAsync(TestCaller.Anonymous);
        Assert.Equal("1.3.2", document.GetProperty("openrpc").GetString());
        JsonAssert.Equivalent(
            $$"""{"title":"{{DiscoveryAppFixture.Title}}","version":"2.5.0","description":"Orders and jobs."}""",
            document.GetProperty("info").GetRawText());
    }

    [Fact]
    public async Task Discover_TypedMethod_ParamsByWireNameRequiredOptionalAndSchemas()
    {
        var method = Method(await fixture.DiscoverAsync(TestCaller.Anonymous), "shop.place_order");
        Assert.Equal("either", method.GetProperty("paramStructure").GetString());

        // RpcContext and CancellationToken are injected, not params.
        var parameters = method.GetProperty("params").EnumerateArray().ToList();
        Assert.Equal(["quantity", "sku", "shipTo", "note", "tags", "retries"], parameters.Select(p => p.GetProperty("name").GetString()));
        Assert.Equal([true, true, true, false, false, false], parameters.Select(p => p.GetProperty("required").GetBoolean()));

        JsonAssert.Equivalent("""{"type":"integer"}""", Schema(parameters[0]));
        Assert.Equal("How many to order.", parameters[0].GetProperty("description").GetString());
        JsonAssert.Equivalent("""{"type":"string"}""", Schema(parameters[1]));
        JsonAssert.Equivalent(
            """
            {"type":"object","properties":{
              "street":{"type":"string"},
              "zip":{"description":"The postal code, when the country has them.","type":["string","null"]}},
             "required":["street","zip"]}
            """,
            Schema(parameters[2]));
        JsonAssert.Equivalent("""{"type":["string","null"],"default":null}""", Schema(parameters[3]));
        JsonAssert.Equivalent("""{"type":["array","null"],"items":{"type":"integer"},"default":null}""", Schema(parameters[4]));
        JsonAssert.Equivalent("""{"type":"integer","default":3}""", Schema(parameters[5]));
    }

    [Fact]
    public async Task Discover_TypedMethod_SummaryResultAndDeclaredErrors()
    {
        var method = Method(await fixture.DiscoverAsync(TestCaller.Anonymous), "shop.place_order");
        Assert.Equal("Places an order.", method.GetProperty("summary").GetString());

        // Task<Receipt?>: the record, or null; its properties camelCased like the serializer writes them.
        var result = method.GetProperty("result");
        Assert.Equal("result", result.GetProperty("name").GetString());
        var schema = result.GetProperty("schema");
        Assert.Equal(["object", "null"], schema.GetProperty("type").EnumerateArray().Select(t => t.GetString()));
        Assert.Equal(["id", "lines", "shipTo"], schema.GetProperty("properties").EnumerateObject().Select(p => p.Name));
        JsonAssert.Equivalent("""{"type":"array","items":{"type":"string"}}""", schema.GetProperty("properties").GetProperty("lines").GetRawText());

        JsonAssert.Equivalent(
            """[{"code":-32040,"message":"Out of stock"},{"code":-32043,"message":"Address refused"},{"code":-32045,"message":"Shop closed"}]""",
            method.GetProperty("errors").GetRawText());
    }

    [Fact]
    public async Task Discover_ErrorsOnTheClass_EveryMethodDeclaresThem_TheMethodsOwnWinsForItsCode()
    {
        var document = await fixture.DiscoverAsync(TestCaller.Anonymous);

        // ShopMethods declares -32040 and -32045; place_order declares -32040 again (above), and its own message wins.
        JsonAssert.Equivalent(
            """[{"code":-32040,"message":"Shop-wide stock error"},{"code":-32045,"message":"Shop closed"}]""",
            Method(document, "shop.forget").GetProperty("errors").GetRawText());
        Assert.Equal(-32040, Method(document, "shop.place_order").GetProperty("errors")[0].GetProperty("code").GetInt32());
        Assert.Equal("Out of stock", Method(document, "shop.place_order").GetProperty("errors")[0].GetProperty("message").GetString());
    }

    [Fact]
    public async Task Discover_EndpointSummaryAndDescription_WinOverDescriptionAttribute()
    {
        var count = Method(await fixture.DiscoverAsync(TestCaller.Anonymous), "shop.count");
        Assert.Equal("Counts.", count.GetProperty("summary").GetString());
        Assert.Equal("From one.", count.GetProperty("description").GetString());
    }

    [Fact]
    public async Task Discover_RecursiveParamAndResult_OwnIdAndPointersWithin()
    {
        var chain = Method(await fixture.DiscoverAsync(TestCaller.Anonymous), "shop.chain");
        var head = Assert.Single(chain.GetProperty("params").EnumerateArray()).GetProperty("schema");
        Assert.Equal("urn:actorrpc:shop.chain:params:head", head.GetProperty("$id").GetString());
        Assert.Equal("#/properties/next", head.GetProperty("properties").GetProperty("next").GetProperty("properties").GetProperty("next").GetProperty("$ref").GetString());
        Assert.Equal("urn:actorrpc:shop.chain:result", chain.GetProperty("result").GetProperty("schema").GetProperty("$id").GetString());
    }

    [Fact]
    public async Task Discover_RepeatedType_PointerWithinItsSchema()
    {
        var route = Method(await fixture.DiscoverAsync(TestCaller.Anonymous), "shop.route");
        var pair = Assert.Single(route.GetProperty("params").EnumerateArray()).GetProperty("schema");
        Assert.Equal("urn:actorrpc:shop.route:params:pair", pair.GetProperty("$id").GetString());
        Assert.Equal("#/properties/home/items", pair.GetProperty("properties").GetProperty("work").GetProperty("items").GetProperty("$ref").GetString());

        // A schema without pointers gets no id.
        Assert.False(route.GetProperty("result").GetProperty("schema").TryGetProperty("$id", out _));
    }

    [Fact]
    public async Task Discover_WholeParamsWithRepeatedType_PointerToAnotherPropertyReplacedByACopy()
    {
        var route = Method(await fixture.DiscoverAsync(TestCaller.Anonymous), "shop.route_by_name");
        var parameters = route.GetProperty("params").EnumerateArray().ToList();
        Assert.Equal(["home", "work"], parameters.Select(p => p.GetProperty("name").GetString()));
        JsonAssert.Equivalent(parameters[0].GetProperty("schema").GetRawText(), parameters[1].GetProperty("schema").GetRawText());
        Assert.DoesNotContain("$ref", parameters[1].GetRawText(), StringComparison.Ordinal);
        Assert.False(parameters[1].GetProperty("schema").TryGetProperty("$id", out _));
    }

    [Fact]
    public async Task Discover_WholeParamsRecursive_PointerIntoThePropertyRebased_ToTheRecordMarked()
    {
        var document = await fixture.DiscoverAsync(TestCaller.Anonymous);
        var next = Method(document, "shop.walk").GetProperty("params").EnumerateArray().Single(p => p.GetProperty("name").GetString() == "next").GetProperty("schema");
        Assert.Equal("urn:actorrpc:shop.walk:params:next", next.GetProperty("$id").GetString());
        Assert.Equal("#", next.GetProperty("properties").GetProperty("next").GetProperty("$ref").GetString());

        // Tree.children's items are the whole params record ("#"), which no single param can point at.
        var children = Method(document, "shop.grow").GetProperty("params").EnumerateArray().Single(p => p.GetProperty("name").GetString() == "children").GetProperty("schema");
        JsonAssert.Equivalent(
            $$$"""{"type":"array","items":{"description":"{{{ActorRpc.Methods.Discovery.SchemaReferences.RecordDescription}}}"}}""",
            children.GetRawText());
    }

    [Fact]
    public async Task Discover_EverySchema_PointersResolveWithinItsOwnSchema()
    {
        var document = await fixture.DiscoverAsync(Admin);
        var checkedRefs = 0;
        foreach (var method in document.GetProperty("methods").EnumerateArray())
        {
            var schemas = method.GetProperty("params").EnumerateArray().Select(p => p.GetProperty("schema")).Append(method.GetProperty("result").GetProperty("schema"));
            foreach (var schema in schemas)
            {
                foreach (var pointer in LocalRefs(schema))
                {
                    Assert.True(schema.TryGetProperty("$id", out _), $"{method.GetProperty("name")}: {pointer} in a schema without $id points into the document");
                    Assert.True(Resolve(schema, pointer) is not null, $"{method.GetProperty("name")}: {pointer} resolves to nothing in {schema}");
                    checkedRefs++;
                }
            }
        }

        Assert.True(checkedRefs >= 4, $"only {checkedRefs} pointers checked");
    }

    [Fact]
    public async Task Discover_VoidAndNullableValueTypes_NullResultAndNullableSchemas()
    {
        var document = await fixture.DiscoverAsync(TestCaller.Anonymous);
        var forget = Method(document, "shop.forget");
        Assert.Empty(forget.GetProperty("params").EnumerateArray());
        JsonAssert.Equivalent("""{"type":"null"}""", forget.GetProperty("result").GetProperty("schema").GetRawText());

        var maybe = Method(document, "shop.maybe");
        var value = Assert.Single(maybe.GetProperty("params").EnumerateArray());
        Assert.True(value.GetProperty("required").GetBoolean(), "a nullable value without a default must still be given");
        JsonAssert.Equivalent("""{"type":["integer","null"]}""", Schema(value));
        JsonAssert.Equivalent("""{"type":["integer","null"]}""", maybe.GetProperty("result").GetProperty("schema").GetRawText());
    }

    [Fact]
    public async Task Discover_WholeParamsRecord_ItsPropertiesByName()
    {
        var greet = Method(await fixture.DiscoverAsync(TestCaller.Anonymous), "shop.greet");
        Assert.Equal("by-name", greet.GetProperty("paramStructure").GetString());
        var parameters = greet.GetProperty("params").EnumerateArray().ToList();
        Assert.Equal(["name", "times"], parameters.Select(p => p.GetProperty("name").GetString()));
        JsonAssert.Equivalent("""{"type":"string"}""", Schema(parameters[0]));
    }

    [Fact]
    public async Task Discover_WholeParamsJsonElement_ParamsNotDescribedAndEmptySchema()
    {
        var anything = Method(await fixture.DiscoverAsync(TestCaller.Anonymous), "shop.anything");
        Assert.Empty(anything.GetProperty("params").EnumerateArray());
        Assert.True(anything.GetProperty("x-params-not-described").GetBoolean());
        JsonAssert.Equivalent("{}", anything.GetProperty("result").GetProperty("schema").GetRawText());
    }

    [Fact]
    public async Task Discover_Delegate_ParamsAndConventionBuilderSummaryDescriptionErrors()
    {
        var shout = Method(await fixture.DiscoverAsync(TestCaller.Anonymous), "shout");
        Assert.Equal("Shouts the text.", shout.GetProperty("summary").GetString());
        Assert.Equal("In capitals.", shout.GetProperty("description").GetString());
        var text = Assert.Single(shout.GetProperty("params").EnumerateArray());
        Assert.Equal("text", text.GetProperty("name").GetString());
        JsonAssert.Equivalent("""{"type":"string"}""", Schema(text));
        JsonAssert.Equivalent("""[{"code":-32041,"message":"Too loud"}]""", shout.GetProperty("errors").GetRawText());
    }

    [Fact]
    public async Task Discover_ActorMethod_SummaryAndErrorsFromItsClass_NoParamsDescribed()
    {
        var job = Method(await fixture.DiscoverAsync(Admin), "job");
        Assert.Equal("Runs a job.", job.GetProperty("summary").GetString());
        Assert.Empty(job.GetProperty("params").EnumerateArray());
        Assert.True(job.GetProperty("x-params-not-described").GetBoolean());
        JsonAssert.Equivalent("{}", job.GetProperty("result").GetProperty("schema").GetRawText());
        JsonAssert.Equivalent("""[{"code":-32042,"message":"Job failed"}]""", job.GetProperty("errors").GetRawText());
    }

    [Fact]
    public async Task Discover_BuiltIns_ListedWithHandWrittenSchemas()
    {
        var document = await fixture.DiscoverAsync(TestCaller.Anonymous);
        foreach (var name in new[] { "authenticate", "get_methods", "get_subscriptions", "get_topics", "rpc.discover", "subscribe", "unsubscribe" })
        {
            Assert.True(Method(document, name).TryGetProperty("summary", out _), $"{name} has no summary");
        }

        var subscribe = Method(document, "subscribe");
        JsonAssert.Equivalent(
            """{"type":"array","items":{"type":"string","minLength":1}}""",
            Schema(Assert.Single(subscribe.GetProperty("params").EnumerateArray())));
        var token = Assert.Single(Method(document, "authenticate").GetProperty("params").EnumerateArray());
        Assert.Equal("token", token.GetProperty("name").GetString());
        JsonAssert.Equivalent(
            """{"type":"array","items":{"type":"string"}}""",
            Method(document, "get_methods").GetProperty("result").GetProperty("schema").GetRawText());
    }

    [Fact]
    public async Task Discover_MethodsListedAsGetMethodsListsThem()
    {
        await using var socket = await TestCaller.Anonymous.ConnectAsync(fixture.App);
        var listed = JsonAssert.Result(await socket.CallAsync("get_methods")).EnumerateArray().Select(e => e.GetString()).ToList();
        var described = JsonAssert.Result(await socket.CallAsync("rpc.discover")).GetProperty("methods").EnumerateArray()
            .Select(m => m.GetProperty("name").GetString()).ToList();
        Assert.Contains("rpc.discover", listed);
        Assert.Equal(listed, described);
    }

    [Fact]
    public async Task Discover_Topics_XTopicsWithPatternsAndSummaries()
    {
        var document = await fixture.DiscoverAsync(TestCaller.Anonymous);
        JsonAssert.Equivalent(
            """[{"name":"clock","summary":"A tick each second."},{"name":"orders.*","pattern":true}]""",
            document.GetProperty("x-topics").GetRawText());
    }

    [Fact]
    public async Task Discover_Guards_AnonymousSeesOpenOnly_UserSeesMore()
    {
        var anonymous = await fixture.DiscoverAsync(TestCaller.Anonymous);
        var user = await fixture.DiscoverAsync(TestCaller.User("ada"));
        var admin = await fixture.DiscoverAsync(Admin);

        Assert.DoesNotContain("secret", Names(anonymous));
        Assert.DoesNotContain("job", Names(anonymous));
        Assert.Contains("secret", Names(user));
        Assert.DoesNotContain("job", Names(user));
        Assert.Contains("job", Names(admin));

        Assert.Equal(["clock", "orders.*"], Topics(anonymous));
        Assert.Equal(["clock", "orders.*", "staff"], Topics(user));
    }

    internal static JsonElement Method(JsonElement document, string name) =>
        document.GetProperty("methods").EnumerateArray().SingleOrDefault(m => m.GetProperty("name").GetString() == name) is { ValueKind: JsonValueKind.Object } method
            ? method
            : throw new Xunit.Sdk.XunitException($"No method '{name}' in {string.Join(", ", Names(document))}");

    private static List<string?> Names(JsonElement document) =>
        [.. document.GetProperty("methods").EnumerateArray().Select(m => m.GetProperty("name").GetString())];

    private static List<string?> Topics(JsonElement document) =>
        [.. document.GetProperty("x-topics").EnumerateArray().Select(t => t.GetProperty("name").GetString())];

    private static string Schema(JsonElement parameter) => parameter.GetProperty("schema").GetRawText();

    private static IEnumerable<string> LocalRefs(JsonElement node) => node.ValueKind switch
    {
        JsonValueKind.Object => node.EnumerateObject().SelectMany(p =>
            p.Name == "$ref" && p.Value.ValueKind == JsonValueKind.String && p.Value.GetString()!.StartsWith('#') ? [p.Value.GetString()!] : LocalRefs(p.Value)),
        JsonValueKind.Array => node.EnumerateArray().SelectMany(LocalRefs),
        _ => [],
    };

    private static JsonElement? Resolve(JsonElement root, string pointer)
    {
        var node = root;
        foreach (var segment in pointer.TrimStart('#').Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            var key = segment.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal);
            if (node.ValueKind == JsonValueKind.Object && node.TryGetProperty(key, out var child))
            {
                node = child;
            }
            else if (node.ValueKind == JsonValueKind.Array && int.TryParse(key, out var index) && index < node.GetArrayLength())
            {
                node = node[index];
            }
            else
            {
                return null;
            }
        }

        return node;
    }
}
