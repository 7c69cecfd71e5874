using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Schema;

namespace ActorRpc.Methods.Discovery;

/// <summary>
/// JSON schemas of .NET types as the server's serializer writes and reads them
/// (<see cref="RpcMethodsOptions.SerializerOptions"/>: its naming policy names the properties), made
/// with <see cref="JsonSchemaExporter"/>. Properties follow their nullable annotations; a parameter or
/// result at the top is nullable when its own annotation says so (<see cref="Of"/>).
/// </summary>
internal sealed class TypeSchemas(JsonSerializerOptions serializerOptions)
{
    private readonly JsonSerializerOptions _serializerOptions = ReadOnly(serializerOptions);

    private readonly JsonSchemaExporterOptions _exporterOptions = new()
    {
        // Code compiled without nullable annotations says nothing about null; its members are taken as
        // non-null, as most such code means. Annotated code says `string?` where null is allowed, and
        // the top-level type gets its null from the parameter's or result's annotation (Of), which the
        // exporter cannot see.
        TreatNullObliviousAsNonNullable = true,
        TransformSchemaNode = Describe,
    };

    /// <summary>
    /// The schema of a value of <paramref name="type"/>; with <paramref name="nullable"/>, JSON null is
    /// allowed too. One holding a <c>$ref</c> gets the <c>$id</c> <paramref name="id"/> (<see cref="SchemaReferences"/>).
    /// </summary>
    public JsonObject Of(Type type, bool nullable, string id)
    {
        var node = Export(type);
        if (nullable)
        {
            AllowNull(node);
        }

        SchemaReferences.Identify(node, id);
        return node;
    }

    private JsonObject Export(Type type)
    {
        var schema = JsonSchemaExporter.GetJsonSchemaAsNode(_serializerOptions, type, _exporterOptions);

        // "true" (any JSON value: JsonElement, object) is written as {} so every schema is an object.
        if (schema is not JsonObject node)
        {
            return new JsonObject();
        }

        return node;
    }

    /// <summary>
    /// The properties the serializer reads for <paramref name="type"/>, when it reads it as a JSON
    /// object; null otherwise. Each schema stands on its own (<see cref="SchemaReferences.PropertyOf"/>),
    /// with an <c>$id</c> from <paramref name="idOf"/> (given the property's name) when it holds a <c>$ref</c>.
    /// </summary>
    public IReadOnlyList<(string Name, bool Required, JsonNode Schema)>? PropertiesOf(Type type, Func<string, string> idOf)
    {
        if (_serializerOptions.GetTypeInfo(type).Kind != System.Text.Json.Serialization.Metadata.JsonTypeInfoKind.Object
            || Export(type) is not { } schema
            || schema["properties"] is not JsonObject properties)
        {
            return null;
        }

        var required = schema["required"] is JsonArray names ? names.Select(n => n?.GetValue<string>()).ToHashSet(StringComparer.Ordinal) : [];
        return [.. properties.Select(p => (p.Key, required.Contains(p.Key), Standalone(schema, p.Key, idOf(p.Key))))];
    }

    private static JsonNode Standalone(JsonObject record, string name, string id)
    {
        var schema = SchemaReferences.PropertyOf(record, name);
        if (schema is JsonObject node)
        {
            SchemaReferences.Identify(node, id);
        }

        return schema;
    }

    private static JsonSerializerOptions ReadOnly(JsonSerializerOptions options)
    {
        // The exporter needs resolved metadata; serializing a first result would make the options read-only anyway.
        if (!options.IsReadOnly)
        {
            options.MakeReadOnly(populateMissingResolver: true);
        }

        return options;
    }

    private static void AllowNull(JsonObject schema)
    {
        switch (schema["type"])
        {
            case JsonValue single when single.GetValue<string>() is var type && type != "null":
                schema["type"] = new JsonArray(type, "null");
                break;
            case JsonArray types when !types.Any(t => t?.GetValue<string>() == "null"):
                types.Add("null");
                break;
        }

        if (schema["enum"] is JsonArray values && !values.Any(v => v is null))
        {
            values.Add(null);
        }
    }

    // [Description] on a property or type becomes its schema's description.
    private static JsonNode Describe(JsonSchemaExporterContext context, JsonNode schema)
    {
        ICustomAttributeProvider? provider = context.PropertyInfo is { } property ? property.AttributeProvider : context.TypeInfo.Type;
        if (schema is JsonObject node
            && !node.ContainsKey("description")
            && OpenRpcNodes.DescriptionOf(provider) is { } text)
        {
            node.Insert(0, "description", text);
        }

        return schema;
    }
}
