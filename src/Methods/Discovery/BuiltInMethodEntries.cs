using System.Text.Json.Nodes;
using ActorRpc.Methods.Definition;

namespace ActorRpc.Methods.Discovery;

/// <summary>
/// The OpenRPC Method Objects of the built-ins, written by hand: they are answered by the session
/// or the catalog, not by a .NET signature the describer could read. Each says what the wire does
/// (docs/topics.md, docs/security.md).
/// </summary>
internal static class BuiltInMethodEntries
{
    /// <summary>The meta-schema an OpenRPC document follows, as the specification's own <c>rpc.discover</c> names its result.</summary>
    public const string MetaSchemaUrl = "https://raw.githubusercontent.com/open-rpc/meta-schema/master/schema.json";

    /// <summary>The entry of a built-in; null for a name that is not one.</summary>
    public static JsonObject? For(string name) => name switch
    {
        RpcMethodCatalog.GetMethodsName => Entry(
            name,
            "Lists the names of the methods the caller may call, sorted.",
            [],
            Strings("The method names.")),
        RpcMethodCatalog.DiscoverName => Entry(
            name,
            "Describes the methods the caller may call and the topics it may subscribe to, as an OpenRPC document.",
            [],
            Result(new JsonObject { ["$ref"] = MetaSchemaUrl }, "The OpenRPC document.")),
        RpcMethodCatalog.SubscribeName => Entry(
            name,
            "Subscribes the connection to topics (names, or names a declared pattern covers); all or nothing. WebSocket only.",
            [TopicsParam()],
            Strings("The connection's subscriptions, sorted."),
            "by-name",
            "Params are {\"topics\": [...]} or the topic names as positional params ([\"a\", \"b\"]). "
            + "Each topic's notifications then arrive as {\"jsonrpc\":\"2.0\",\"method\":\"<topic>\",\"params\":...}; "
            + "a retained topic's state is sent right after the answer."),
        RpcMethodCatalog.UnsubscribeName => Entry(
            name,
            "Unsubscribes the connection from topics.",
            [TopicsParam()],
            Strings("The connection's subscriptions, sorted."),
            "by-name",
            "Params are {\"topics\": [...]} or the topic names as positional params ([\"a\", \"b\"])."),
        RpcMethodCatalog.GetTopicsName => Entry(
            name,
            "Lists the topics and topic patterns (ending in *) the caller may subscribe to, sorted.",
            [],
            Strings("Topic names and patterns.")),
        RpcMethodCatalog.GetSubscriptionsName => Entry(
            name,
            "Lists the connection's subscriptions, sorted.",
            [],
            Strings("The connection's subscriptions.")),
        RpcMethodCatalog.AuthenticateName => Entry(
            name,
            "Makes the user a bearer token names the connection's user. WebSocket only.",
            [Param("token", "The token, as the server's authentication scheme reads it.", new JsonObject { ["type"] = "string", ["minLength"] = 1 })],
            Result(
                new JsonObject
                {
                    ["type"] = "object",
                    ["properties"] = new JsonObject
                    {
                        ["name"] = new JsonObject { ["type"] = new JsonArray("string", "null") },
                        ["expires"] = new JsonObject { ["type"] = new JsonArray("string", "null"), ["format"] = "date-time" },
                    },
                    ["required"] = new JsonArray("name", "expires"),
                },
                "Who the connection is now, and when the token's lifetime ends (null for never)."),
            "either",
            null,
            [(-32010, "Authentication required")]),
        _ => null,
    };

    private static JsonObject Entry(
        string name,
        string summary,
        JsonNode[] parameters,
        JsonObject result,
        string structure = "either",
        string? description = null,
        (int Code, string Message)[]? errors = null)
    {
        var entry = new JsonObject { ["name"] = name, ["summary"] = summary };
        if (description is not null)
        {
            entry["description"] = description;
        }

        entry["paramStructure"] = structure;
        entry["params"] = new JsonArray(parameters);
        entry["result"] = result;
        if (errors is { Length: > 0 })
        {
            entry["errors"] = new JsonArray([.. errors.Select(e => (JsonNode)OpenRpcNodes.Error(e.Code, e.Message))]);
        }

        return entry;
    }

    private static JsonObject TopicsParam() => Param(
        "topics",
        "Topic names.",
        new JsonObject { ["type"] = "array", ["items"] = new JsonObject { ["type"] = "string", ["minLength"] = 1 } });

    private static JsonObject Param(string name, string description, JsonObject schema) => OpenRpcNodes.Param(name, required: true, schema, description);

    private static JsonObject Strings(string description) =>
        Result(new JsonObject { ["type"] = "array", ["items"] = new JsonObject { ["type"] = "string" } }, description);

    private static JsonObject Result(JsonObject schema, string description) => OpenRpcNodes.Result(schema, description);
}
