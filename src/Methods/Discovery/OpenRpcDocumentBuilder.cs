using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using ActorRpc.Methods.Definition;
using ActorRpc.Methods.Topics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace ActorRpc.Methods.Discovery;

/// <summary>
/// Builds the answers of <c>rpc.discover</c>. The node's whole document is rendered once, on the
/// first call (reflection, XML comments and schemas cost milliseconds, start-up should not pay
/// them for a method few clients call), one UTF-8 piece per method and topic; each call then only
/// picks the pieces its caller may see (<see cref="Build"/>) and writes them out. On a node without
/// guards everyone sees the same document, which is then written once (<see cref="BuildForEveryone"/>).
/// A rendering that fails is not kept: the next call tries again.
/// </summary>
internal sealed class OpenRpcDocumentBuilder
{
    /// <summary>The root extension listing the topics: <c>[{"name":"clock"}, {"name":"orders.*","pattern":true}]</c>.</summary>
    public const string TopicsExtension = "x-topics";

    private readonly IReadOnlyList<RpcMethodDescriptor> _methods;
    private readonly TopicCatalog _topics;
    private readonly RpcDiscoveryOptions _discovery;
    private readonly JsonSerializerOptions _serializerOptions;
    private readonly ILogger _logger;
    private readonly Lock _rendering = new();
    private Rendered? _rendered;
    private OpenRpcDocument? _forEveryone;

    public OpenRpcDocumentBuilder(
        IReadOnlyList<RpcMethodDescriptor> methods, TopicCatalog topics, RpcDiscoveryOptions discovery, JsonSerializerOptions serializerOptions, ILogger? logger = null)
    {
        _methods = methods;
        _topics = topics;
        _discovery = discovery;
        _serializerOptions = serializerOptions;
        _logger = logger ?? NullLogger.Instance;
    }

    /// <summary>The document for a caller who may call <paramref name="methods"/> and subscribe to <paramref name="topics"/> (both sorted).</summary>
    public OpenRpcDocument Build(IReadOnlyList<string> methods, IReadOnlyList<string> topics)
    {
        var rendered = Rendering();
        return new OpenRpcDocument(
            rendered.Info,
            [.. methods.Select(name => rendered.Methods.GetValueOrDefault(name)).OfType<byte[]>()],
            [.. topics.Select(name => rendered.Topics.GetValueOrDefault(name)).OfType<byte[]>()]);
    }

    /// <summary>
    /// The document every caller gets on a node without guards (<paramref name="methods"/> and
    /// <paramref name="topics"/> are then the same for all): built and serialized on the first call,
    /// the same bytes written for every later one.
    /// </summary>
    public OpenRpcDocument BuildForEveryone(IReadOnlyList<string> methods, IReadOnlyList<string> topics)
    {
        if (Volatile.Read(ref _forEveryone) is { } built)
        {
            return built;
        }

        var document = Build(methods, topics);
        document = new OpenRpcDocument(document.Info, document.Methods, document.Topics, JsonSerializer.SerializeToUtf8Bytes(document, JsonSerializerOptions.Default));
        return Interlocked.CompareExchange(ref _forEveryone, document, null) ?? document;
    }

    // Rendered once, under a lock; an exception is thrown to this call and the next one tries again
    // (a Lazy would keep answering it for the node's life).
    private Rendered Rendering()
    {
        if (Volatile.Read(ref _rendered) is { } rendered)
        {
            return rendered;
        }

        lock (_rendering)
        {
            if (_rendered is null)
            {
                Volatile.Write(ref _rendered, Render(_methods, _topics, _discovery, _serializerOptions, _logger));
            }

            return _rendered!;
        }
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

    private static Rendered Render(
        IReadOnlyList<RpcMethodDescriptor> methods, TopicCatalog topics, RpcDiscoveryOptions discovery, JsonSerializerOptions serializerOptions, ILogger logger)
    {
        // Logged when rendered, which happens once: one warning per method that could not be described.
        var describer = new MethodDescriber(
            new TypeSchemas(serializerOptions),
            serializerOptions,
            new XmlDocumentationFiles(logger),
            (method, exception) => DiscoveryLog.MethodNotDescribed(logger, method, exception));
        var entries = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        foreach (var method in methods)
        {
            entries[method.Name] = Utf8(BuiltInMethodEntries.For(method.Name) is { } builtIn && method.Docs is null ? builtIn : Describe(describer, method, logger));
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

    private static JsonObject Describe(MethodDescriber describer, RpcMethodDescriptor method, ILogger logger)
    {
        try
        {
            return describer.Describe(method);
        }
        catch (Exception ex) when (!MethodDescriber.IsFatal(ex))
        {
            // Describe keeps what it could read; this is for what it did not expect to fail.
            DiscoveryLog.MethodNotDescribed(logger, method.Name, ex);
            var entry = new JsonObject { ["name"] = method.Name };
            OpenRpcNodes.NotDescribed(entry);
            return entry;
        }
    }

    private static byte[] Utf8(JsonNode node) => JsonSerializer.SerializeToUtf8Bytes(node, JsonSerializerOptions.Default);

    private sealed record Rendered(byte[] Info, Dictionary<string, byte[]> Methods, Dictionary<string, byte[]> Topics);
}
