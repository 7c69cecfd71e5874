using System.Text.Json.Nodes;

namespace ActorRpc.Methods.Discovery;

/// <summary>
/// Keeps the <c>$ref</c>s of exported schemas pointing where they pointed. <see cref="System.Text.Json.Schema.JsonSchemaExporter"/>
/// writes a recursive type, or a type it has written already (a second <c>Address[]</c>), as a JSON
/// pointer relative to the root of <i>its</i> schema (<c>"#"</c>, <c>"#/properties/next"</c>,
/// <c>"#/properties/a/items"</c>). Embedded in an OpenRPC document, <c>#</c> would mean the document:
/// so a schema holding a <c>$ref</c> gets its own <c>$id</c> (<see cref="Identify"/>), against which
/// its pointers resolve; and a property cut out of its record (<see cref="PropertyOf"/>) gets its
/// pointers rebased onto itself.
/// </summary>
internal static class SchemaReferences
{
    private const string Ref = "$ref";

    /// <summary>What stands for a pointer back to the record the property was cut from.</summary>
    public const string RecordDescription = "Recursive: the params object itself, not repeated here.";

    /// <summary>What stands for a pointer to another schema the property is part of.</summary>
    public const string EnclosingDescription = "Recursive: a schema this one is part of, not repeated here.";

    /// <summary>
    /// The id of a param's (<paramref name="param"/>) or the result's (null) schema of
    /// <paramref name="method"/>: <c>urn:actorrpc:&lt;method&gt;:params:&lt;param&gt;</c> or
    /// <c>urn:actorrpc:&lt;method&gt;:result</c>, the names percent-escaped. Unique in a document.
    /// </summary>
    public static string IdOf(string method, string? param) =>
        param is null
            ? $"urn:actorrpc:{Uri.EscapeDataString(method)}:result"
            : $"urn:actorrpc:{Uri.EscapeDataString(method)}:params:{Uri.EscapeDataString(param)}";

    /// <summary>Gives <paramref name="schema"/> the <c>$id</c> <paramref name="id"/> when it holds a <c>$ref</c>, so its pointers resolve within it.</summary>
    public static void Identify(JsonObject schema, string id)
    {
        if (HasReference(schema) && !schema.ContainsKey("$id"))
        {
            schema.Insert(0, "$id", id);
        }
    }

    /// <summary>Whether <paramref name="node"/> holds a <c>$ref</c> anywhere.</summary>
    public static bool HasReference(JsonNode? node) => node switch
    {
        JsonObject o => o.Any(p => p.Key == Ref || HasReference(p.Value)),
        JsonArray a => a.Any(HasReference),
        _ => false,
    };

    /// <summary>
    /// A copy of the property <paramref name="name"/> of the object schema <paramref name="record"/>,
    /// standing on its own: a pointer into the property now points from its root; a pointer elsewhere in
    /// the record is replaced by a copy of what it points at (whose pointers are rebased the same way);
    /// a pointer to the record itself, or to a schema it is inside of (recursion the property alone
    /// cannot express), becomes <c>{}</c> with a description saying so.
    /// </summary>
    public static JsonNode PropertyOf(JsonObject record, string name)
    {
        var origin = "#/properties/" + Escape(name);
        var source = record["properties"]?[name] ?? new JsonObject();
        var placed = new Dictionary<string, string>(StringComparer.Ordinal);
        return Rebase(record, source, origin, "#", placed, depth: 0);
    }

    // Copies `node` (at `origin` in the record) to `target` in the property's schema, rebasing its pointers.
    private static JsonNode Rebase(JsonObject record, JsonNode node, string origin, string target, Dictionary<string, string> placed, int depth)
    {
        placed[origin] = target;
        switch (node)
        {
            case JsonObject o when o[Ref] is JsonValue value && value.TryGetValue<string>(out var pointer):
                if (placed.TryGetValue(pointer, out var moved))
                {
                    return new JsonObject { [Ref] = moved };
                }

                if (pointer == "#" || IsWithin(origin, pointer) || depth > 64 || Resolve(record, pointer) is not { } referenced)
                {
                    return new JsonObject { ["description"] = pointer == "#" ? RecordDescription : EnclosingDescription };
                }

                return Rebase(record, referenced, pointer, target, placed, depth + 1);
            case JsonObject o:
                var copy = new JsonObject();
                foreach (var (key, child) in o)
                {
                    copy[key] = child is null ? null : Rebase(record, child, origin + "/" + Escape(key), target + "/" + Escape(key), placed, depth);
                }

                return copy;
            case JsonArray a:
                var items = new JsonArray();
                for (var i = 0; i < a.Count; i++)
                {
                    items.Add(a[i] is { } item ? Rebase(record, item, $"{origin}/{i}", $"{target}/{i}", placed, depth) : null);
                }

                return items;
            default:
                return node.DeepClone();
        }
    }

    // Whether `pointer` names `origin` or a schema `origin` is inside of.
    private static bool IsWithin(string origin, string pointer) =>
        origin == pointer || origin.StartsWith(pointer + "/", StringComparison.Ordinal);

    private static JsonNode? Resolve(JsonObject root, string pointer)
    {
        if (!pointer.StartsWith("#/", StringComparison.Ordinal))
        {
            return null;
        }

        JsonNode? node = root;
        foreach (var segment in pointer[2..].Split('/'))
        {
            var key = segment.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal);
            node = node switch
            {
                JsonObject o => o[key],
                JsonArray a when int.TryParse(key, out var index) && index >= 0 && index < a.Count => a[index],
                _ => null,
            };
            if (node is null)
            {
                return null;
            }
        }

        return node;
    }

    private static string Escape(string key) => key.Replace("~", "~0", StringComparison.Ordinal).Replace("/", "~1", StringComparison.Ordinal);
}
