using System.ComponentModel;
using System.Reflection;
using System.Text.Json.Nodes;

namespace ActorRpc.Methods.Discovery;

/// <summary>The OpenRPC objects every entry is made of, written one way for the built-ins and the described methods alike.</summary>
internal static class OpenRpcNodes
{
    /// <summary>
    /// The extension on a method whose params the server cannot describe (an actor, a
    /// <c>[RpcParams] JsonElement</c>, a type the exporter failed on): its empty <c>params</c> means
    /// "not described", not "none".
    /// </summary>
    public const string ParamsNotDescribed = "x-params-not-described";

    /// <summary>A Content Descriptor for a param: <c>name</c>, <c>description</c> when known, <c>required</c>, <c>schema</c>.</summary>
    public static JsonObject Param(string name, bool required, JsonNode schema, string? description)
    {
        var param = new JsonObject { ["name"] = name };
        if (description is not null)
        {
            param["description"] = description;
        }

        param["required"] = required;
        param["schema"] = schema;
        return param;
    }

    /// <summary>The Content Descriptor of a method's result: named <c>result</c>, as OpenRPC's examples name it.</summary>
    public static JsonObject Result(JsonNode schema, string? description)
    {
        var result = new JsonObject { ["name"] = "result" };
        if (description is not null)
        {
            result["description"] = description;
        }

        result["schema"] = schema;
        return result;
    }

    /// <summary>An Error Object.</summary>
    public static JsonObject Error(int code, string message) => new() { ["code"] = code, ["message"] = message };

    /// <summary>Marks <paramref name="entry"/>'s params and result as not described: no params, the result any JSON value.</summary>
    public static void NotDescribed(JsonObject entry)
    {
        entry.Remove("paramStructure");
        entry["params"] = new JsonArray();
        entry[ParamsNotDescribed] = true;
        entry["result"] = Result(new JsonObject(), null);
    }

    /// <summary>The text of a non-empty <see cref="DescriptionAttribute"/> on <paramref name="provider"/>; null otherwise.</summary>
    public static string? DescriptionOf(ICustomAttributeProvider? provider) =>
        provider?.GetCustomAttributes(typeof(DescriptionAttribute), inherit: false).FirstOrDefault() is DescriptionAttribute { Description: { Length: > 0 } text }
            ? text
            : null;
}
