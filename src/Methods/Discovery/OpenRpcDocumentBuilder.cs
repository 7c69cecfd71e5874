using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using ActorRpc.Methods.Definition;
using ActorRpc.Methods.Topics;

namespace ActorRpc.Methods.Discovery;

/// <summary>
/// Builds the answers of <c>rpc.discover</c>. The node's whole document is rendered once, on the
/// first call (reflection, XML comments and schemas cost milliseconds, start-up should not pay
/// them for a method few clients call), one UTF-8 piece per method and topic; each call then only
/// picks the pieces its caller may see (<see cref="Build"/>) and writes them out.
/// </summary>
internal sealed class OpenRpcDocumentBuilder
{
    /// <summary>The root extension listing the topics: <c>[{"name":"clock"}, {"name":"orders.*","pattern":true}]</c>.</summary>
    public const string TopicsExtension = "x-topics";

    private readonly Lazy<Rendered> _rendered;

    public OpenRpcDocumentBuilder(IReadOnlyList<RpcMethodDescriptor> methods, TopicCatalog topics, RpcDiscoveryOptions discovery, JsonSerializerOptions serializerOptions) =>
        _rendered = new Lazy<Rendered>(() => Render(methods, topics, discovery, serializerOptions), LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>The document for a caller who may call <paramref name="methods"/> and subscribe to <paramref name="topics"/> (both sorted).</summary>
    public OpenRpcDocument Build(IReadOnlyList<string> methods, IReadOnlyList<string> topics)
    {
        var rendered = _rendered.Value;
        return new OpenRpcDocument(
            rendered.Info,
            [.. methods.Select(name => rendered.Methods.GetValueOrDefault(name)).OfType<byte[]>()],
            [.. topics.Select(name => rendered.Topics.GetValueOrDefault(name)).OfType<byte[]>()]);
    }

    /// <summary>The <c>info</c> object: <see cref="RpcDiscoveryOptions"/>, else the entry assembly's name and version.</summary>
    internal static JsonObject Info(RpcDiscoveryOptions discovery)
    {
        var entry = Assembly.GetEntryAssembly();
        var info = new JsonObject
        {
            ["title"] = discovery.Title ?? entry?.GetName().Name ?? "ActorRpc",
            ["version"] = discovery.Version ?? EntryVersion(entry) ?? RpcDiscoveryOptions.DefaultVersion,
        };
        if (discovery.Description is { } description)
        {
            info["description"] = description;
        }

        return info;
    }

    // The SDK appends the commit to the informational version ("1.2.0+9f1c…"): build metadata, not the API's version.
    private static string? EntryVersion(Assembly? entry) =>
        entry?.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion is { Length: > 0 } version
            ? version.Split('+')[0]
            : null;

    private static Rendered Render(IReadOnlyList<RpcMethodDescriptor> methods, TopicCatalog topics, RpcDiscoveryOptions discovery, JsonSerializerOptions serializerOptions)
    {
        var describer = new MethodDescriber(new TypeSchemas(serializerOptions), serializerOptions);
        var entries = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        foreach (var method in methods)
        {
            entries[method.Name] = Utf8(BuiltInMethodEntries.For(method.Name) is { } builtIn && method.Docs is null ? builtIn : Describe(describer, method));
        }

        foreach (var name in RpcMethodCatalog.SessionBuiltIns)
        {
            entries[name] = Utf8(BuiltInMethodEntries.For(name)!);
        }

        var topicEntries = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        foreach (var name in topics.Listed)
        {
            var topic = new JsonObject { ["name"] = name };
            if (name.EndsWith('*'))
            {
                topic["pattern"] = true;
            }

            if (topics.OptionsOfListed(name)?.Summary is { } summary)
            {
                topic["summary"] = summary;
            }

            topicEntries[name] = Utf8(topic);
        }

        return new Rendered(Utf8(Info(discovery)), entries, topicEntries);
    }

    private static JsonObject Describe(MethodDescriber describer, RpcMethodDescriptor method)
    {
        try
        {
            return describer.Describe(method);
        }
        catch (Exception ex) when (ex is NotSupportedException or InvalidOperationException or ArgumentException)
        {
            // A type the exporter cannot describe leaves that one method undescribed, not the whole document unwritten.
            return new JsonObject
            {
                ["name"] = method.Name,
                ["params"] = new JsonArray(),
                [MethodDescriber.ParamsNotDescribed] = true,
                ["result"] = new JsonObject { ["name"] = "result", ["schema"] = new JsonObject() },
            };
        }
    }

    private static byte[] Utf8(JsonNode node) => JsonSerializer.SerializeToUtf8Bytes(node, JsonSerializerOptions.Default);

    private sealed record Rendered(byte[] Info, Dictionary<string, byte[]> Methods, Dictionary<string, byte[]> Topics);
}
