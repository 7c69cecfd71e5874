using System.ComponentModel;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using ActorRpc.Methods.Binding;
using ActorRpc.Methods.Definition;

namespace ActorRpc.Methods.Discovery;

/// <summary>
/// Writes one registered method as an OpenRPC Method Object: its params and result from the .NET
/// signature (as <see cref="ParameterBinder"/> binds them: injected <see cref="RpcContext"/> and
/// <see cref="CancellationToken"/> are not params), its summary and descriptions from
/// <see cref="DescriptionAttribute"/> or XML comments, its declared errors. What the code does not say
/// is left out rather than guessed: an actor-backed method has no params and an empty result schema.
/// </summary>
internal sealed class MethodDescriber(TypeSchemas schemas, JsonSerializerOptions serializerOptions)
{
    /// <summary>
    /// The extension on a method whose params the server cannot describe (an actor, or a
    /// <c>[RpcParams] JsonElement</c>): its empty <c>params</c> means "not described", not "none".
    /// </summary>
    public const string ParamsNotDescribed = "x-params-not-described";

    // Not thread-safe, and so one per describer: a describer renders one catalog's document, once, on one thread.
    private readonly NullabilityInfoContext _nullability = new();

    public JsonObject Describe(RpcMethodDescriptor descriptor)
    {
        var docs = descriptor.Docs ?? MethodDocs.OfActor(null);
        var method = docs.Method;
        var xml = method is not null ? XmlDocumentation.For(method.Module.Assembly)
            : docs.ActorType is { } actor ? XmlDocumentation.For(actor.Assembly)
            : null;

        var entry = new JsonObject { ["name"] = descriptor.Name };
        var summary = docs.Summary
            ?? DescriptionOf(method)
            ?? (docs.ActorType is { } actorType ? DescriptionOf(actorType) ?? xml?.Summary(actorType) : null)
            ?? (method is not null ? xml?.Summary(method) : null);
        var description = docs.Description ?? (method is not null ? xml?.Remarks(method) : null);
        if (summary is not null)
        {
            entry["summary"] = summary;
        }

        if (description is not null)
        {
            entry["description"] = description;
        }

        if (method is null)
        {
            entry["params"] = new JsonArray();
            entry[ParamsNotDescribed] = true;
            entry["result"] = Result(new JsonObject(), null);
        }
        else
        {
            AddParams(entry, method, xml);
            entry["result"] = Result(ResultSchema(method), xml?.Returns(method));
        }

        var errors = ErrorsOf(method, docs);
        if (errors.Count > 0)
        {
            entry["errors"] = new JsonArray([.. errors.Select(e => (JsonNode)new JsonObject { ["code"] = e.Code, ["message"] = e.Message })]);
        }

        return entry;
    }

    private void AddParams(JsonObject entry, MethodInfo method, XmlDocumentation? xml)
    {
        var slots = method.GetParameters().Select(p => (Parameter: p, Slot: ParameterSlot.For(p, _nullability))).ToList();
        var whole = slots.FirstOrDefault(s => s.Slot.Kind == SlotKind.WholeParams);
        if (whole.Slot is not null)
        {
            // [RpcParams] T: the whole params member is one T. A T the serializer reads as an object is
            // named params, its properties; anything else (JsonElement, a list) is not described.
            var properties = IsAnyJson(whole.Slot.Type) ? null : schemas.PropertiesOf(Nullable.GetUnderlyingType(whole.Slot.Type) ?? whole.Slot.Type);
            if (properties is null)
            {
                entry["params"] = new JsonArray();
                entry[ParamsNotDescribed] = true;
                return;
            }

            entry["paramStructure"] = "by-name";
            entry["params"] = new JsonArray([.. properties.Select(p => (JsonNode)Param(p.Name, p.Required, p.Schema, DescriptionIn(p.Schema)))]);
            return;
        }

        entry["paramStructure"] = "either";
        var list = new JsonArray();
        foreach (var (parameter, slot) in slots)
        {
            if (slot.Kind != SlotKind.Json)
            {
                continue;
            }

            var schema = schemas.Of(slot.Type, slot.AcceptsNull);
            if (slot.HasDeclaredDefault && DefaultOf(slot) is var (known, value) && known)
            {
                schema["default"] = value;
            }

            var description = DescriptionOf(parameter) ?? xml?.Param(method, slot.Name);
            list.Add(Param(slot.Name, !slot.IsOptional, schema, description));
        }

        entry["params"] = list;
    }

    private static JsonObject Param(string name, bool required, JsonNode schema, string? description)
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

    private static string? DescriptionIn(JsonNode schema) => schema is JsonObject o && o["description"] is JsonValue v ? v.GetValue<string>() : null;

    private static JsonObject Result(JsonNode schema, string? description)
    {
        var result = new JsonObject { ["name"] = "result" };
        if (description is not null)
        {
            result["description"] = description;
        }

        result["schema"] = schema;
        return result;
    }

    private JsonNode ResultSchema(MethodInfo method)
    {
        var type = method.ReturnType;
        var nullability = _nullability.Create(method.ReturnParameter);
        if (type == typeof(void) || type == typeof(Task) || type == typeof(ValueTask))
        {
            return new JsonObject { ["type"] = "null" };
        }

        if (type.IsGenericType && (type.GetGenericTypeDefinition() == typeof(Task<>) || type.GetGenericTypeDefinition() == typeof(ValueTask<>)))
        {
            type = type.GetGenericArguments()[0];
            nullability = nullability.GenericTypeArguments[0];
        }

        var nullable = type.IsValueType ? Nullable.GetUnderlyingType(type) is not null : nullability.ReadState != NullabilityState.NotNull;
        return schemas.Of(type, nullable);
    }

    // The declared default as JSON; unknown when the serializer cannot write it (never expected for constants).
    private (bool Known, JsonNode? Value) DefaultOf(ParameterSlot slot)
    {
        if (slot.DefaultValue is null)
        {
            return (true, null);
        }

        try
        {
            return (true, JsonSerializer.SerializeToNode(slot.DefaultValue, slot.DefaultValue.GetType(), serializerOptions));
        }
        catch (Exception ex) when (ex is NotSupportedException or JsonException or InvalidOperationException)
        {
            return (false, null);
        }
    }

    private static bool IsAnyJson(Type type) =>
        (Nullable.GetUnderlyingType(type) ?? type) == typeof(JsonElement) || type == typeof(object) || typeof(JsonNode).IsAssignableFrom(type) || type == typeof(JsonDocument);

    private static List<DeclaredError> ErrorsOf(MethodInfo? method, MethodDocs docs)
    {
        var declared = new List<DeclaredError>();
        if (method is not null)
        {
            if (method.DeclaringType is { } declaring)
            {
                declared.AddRange(declaring.GetCustomAttributes<RpcErrorAttribute>().Select(a => new DeclaredError(a.Code, a.Message)));
            }

            declared.AddRange(method.GetCustomAttributes<RpcErrorAttribute>().Select(a => new DeclaredError(a.Code, a.Message)));
        }
        else if (docs.ActorType is { } actor)
        {
            declared.AddRange(actor.GetCustomAttributes<RpcErrorAttribute>().Select(a => new DeclaredError(a.Code, a.Message)));
        }

        declared.AddRange(docs.Errors);

        // One entry per code, the most specific (last) declaration winning, sorted by code as clients look them up.
        return [.. declared.GroupBy(e => e.Code).Select(g => g.Last()).OrderByDescending(e => e.Code)];
    }

    private static string? DescriptionOf(ICustomAttributeProvider? provider) =>
        provider?.GetCustomAttributes(typeof(DescriptionAttribute), inherit: false).FirstOrDefault() is DescriptionAttribute { Description: { Length: > 0 } text }
            ? text
            : null;
}
