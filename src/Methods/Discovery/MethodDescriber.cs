using System.ComponentModel;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using ActorRpc.Methods.Binding;
using Microsoft.AspNetCore.Http;
using ActorRpc.Methods.Definition;

namespace ActorRpc.Methods.Discovery;

/// <summary>
/// Writes one registered method as an OpenRPC Method Object: its params and result from the .NET
/// signature (as <see cref="ParameterBinder"/> binds them: injected <see cref="RpcContext"/> and
/// <see cref="CancellationToken"/> are not params), its summary and descriptions from its
/// registration, <see cref="EndpointSummaryAttribute"/> / <see cref="EndpointDescriptionAttribute"/>,
/// <see cref="DescriptionAttribute"/> (the summary) or XML comments, its declared errors. What the code does not say
/// is left out rather than guessed: an actor-backed method has no params and an empty result schema.
/// </summary>
internal sealed class MethodDescriber(TypeSchemas schemas, JsonSerializerOptions serializerOptions, XmlDocumentationFiles xmlFiles, Action<string, Exception> failed)
{
    // Not thread-safe, and so one per describer: a describer renders one catalog's document, once, on one thread.
    private readonly NullabilityInfoContext _nullability = new();

    /// <summary>
    /// The Method Object of <paramref name="descriptor"/>. What fails to be read (a type the exporter
    /// cannot describe, an attribute whose assembly is missing) is left out, the rest kept: params
    /// and result are then marked not described. The first failure is reported to <c>failed</c>.
    /// </summary>
    public JsonObject Describe(RpcMethodDescriptor descriptor)
    {
        var docs = descriptor.Docs ?? MethodDocs.OfActor(null);
        var method = docs.Method;
        var entry = new JsonObject { ["name"] = descriptor.Name };
        Exception? failure = null;
        XmlDocumentation? xml = null;
        try
        {
            xml = method is not null ? xmlFiles.For(method.Module.Assembly)
                : docs.ActorType is { } actor ? xmlFiles.For(actor.Assembly)
                : null;
            AddTexts(entry, docs, xml);
        }
        catch (Exception ex) when (!IsFatal(ex))
        {
            failure = ex;
        }

        try
        {
            if (method is null)
            {
                OpenRpcNodes.NotDescribed(entry);
            }
            else
            {
                AddParams(entry, descriptor.Name, method, xml);
                entry["result"] = OpenRpcNodes.Result(ResultSchema(descriptor.Name, method), xml?.Returns(method));
            }
        }
        catch (Exception ex) when (!IsFatal(ex))
        {
            failure ??= ex;
            OpenRpcNodes.NotDescribed(entry);
        }

        try
        {
            var errors = ErrorsOf(method, docs);
            if (errors.Count > 0)
            {
                entry["errors"] = new JsonArray([.. errors.Select(e => (JsonNode)OpenRpcNodes.Error(e.Code, e.Message))]);
            }
        }
        catch (Exception ex) when (!IsFatal(ex))
        {
            failure ??= ex;
        }

        if (failure is not null)
        {
            failed(descriptor.Name, failure);
        }

        return entry;
    }

    /// <summary>Whether <paramref name="exception"/> must not be caught: the process cannot go on after it.</summary>
    internal static bool IsFatal(Exception exception) => exception is OutOfMemoryException or StackOverflowException;

    // Summary: the registration's, [EndpointSummary], [Description], the actor's or the method's XML <summary>.
    // Description: the registration's, [EndpointDescription], the XML <remarks>.
    private static void AddTexts(JsonObject entry, MethodDocs docs, XmlDocumentation? xml)
    {
        var method = docs.Method;
        var actor = docs.ActorType;
        var summary = docs.Summary
            ?? EndpointSummaryOf(method)
            ?? OpenRpcNodes.DescriptionOf(method)
            ?? (actor is not null ? EndpointSummaryOf(actor) ?? OpenRpcNodes.DescriptionOf(actor) ?? xml?.Summary(actor) : null)
            ?? (method is not null ? xml?.Summary(method) : null);
        var description = docs.Description
            ?? EndpointDescriptionOf(method)
            ?? (actor is not null ? EndpointDescriptionOf(actor) ?? xml?.Remarks(actor) : null)
            ?? (method is not null ? xml?.Remarks(method) : null);
        if (summary is not null)
        {
            entry["summary"] = summary;
        }

        if (description is not null)
        {
            entry["description"] = description;
        }
    }

    private static string? EndpointSummaryOf(ICustomAttributeProvider? provider) =>
        provider?.GetCustomAttributes(typeof(EndpointSummaryAttribute), inherit: false).FirstOrDefault() is EndpointSummaryAttribute { Summary: { } text } && !string.IsNullOrWhiteSpace(text)
            ? text
            : null;

    private static string? EndpointDescriptionOf(ICustomAttributeProvider? provider) =>
        provider?.GetCustomAttributes(typeof(EndpointDescriptionAttribute), inherit: false).FirstOrDefault() is EndpointDescriptionAttribute { Description: { } text } && !string.IsNullOrWhiteSpace(text)
            ? text
            : null;

    private void AddParams(JsonObject entry, string name, MethodInfo method, XmlDocumentation? xml)
    {
        var slots = method.GetParameters().Select(p => (Parameter: p, Slot: ParameterSlot.For(p, _nullability))).ToList();
        var whole = slots.FirstOrDefault(s => s.Slot.Kind == SlotKind.WholeParams);
        if (whole.Slot is not null)
        {
            // [RpcParams] T: the whole params member is one T. A T the serializer reads as an object is
            // named params, its properties; anything else (JsonElement, a list) is not described.
            var properties = IsAnyJson(whole.Slot.Type) ? null : schemas.PropertiesOf(Nullable.GetUnderlyingType(whole.Slot.Type) ?? whole.Slot.Type, property => SchemaReferences.IdOf(name, property));
            if (properties is null)
            {
                entry["params"] = new JsonArray();
                entry[OpenRpcNodes.ParamsNotDescribed] = true;
                return;
            }

            entry["paramStructure"] = "by-name";
            entry["params"] = new JsonArray([.. properties.Select(p => (JsonNode)OpenRpcNodes.Param(p.Name, p.Required, p.Schema, DescriptionIn(p.Schema)))]);
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

            var schema = schemas.Of(slot.Type, slot.AcceptsNull, SchemaReferences.IdOf(name, slot.Name));
            if (slot.HasDeclaredDefault && TryWriteDefault(slot, out var value))
            {
                schema["default"] = value;
            }

            var description = OpenRpcNodes.DescriptionOf(parameter) ?? xml?.Param(method, slot.Name);
            list.Add(OpenRpcNodes.Param(slot.Name, !slot.IsOptional, schema, description));
        }

        entry["params"] = list;
    }

    private static string? DescriptionIn(JsonNode schema) => schema is JsonObject o && o["description"] is JsonValue v ? v.GetValue<string>() : null;

    private JsonNode ResultSchema(string name, MethodInfo method)
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
        return schemas.Of(type, nullable, SchemaReferences.IdOf(name, null));
    }

    // The declared default as JSON; false when the serializer cannot write it (never expected for constants).
    private bool TryWriteDefault(ParameterSlot slot, out JsonNode? value)
    {
        value = null;
        if (slot.DefaultValue is null)
        {
            return true;
        }

        try
        {
            value = JsonSerializer.SerializeToNode(slot.DefaultValue, slot.DefaultValue.GetType(), serializerOptions);
            return true;
        }
        catch (Exception ex) when (ex is NotSupportedException or JsonException or InvalidOperationException)
        {
            return false;
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
                declared.AddRange(declaring.GetCustomAttributes<ProducesRpcErrorAttribute>().Select(a => new DeclaredError(a.Code, a.Message)));
            }

            declared.AddRange(method.GetCustomAttributes<ProducesRpcErrorAttribute>().Select(a => new DeclaredError(a.Code, a.Message)));
        }
        else if (docs.ActorType is { } actor)
        {
            declared.AddRange(actor.GetCustomAttributes<ProducesRpcErrorAttribute>().Select(a => new DeclaredError(a.Code, a.Message)));
        }

        declared.AddRange(docs.Errors);

        // One entry per code, the most specific (last: the method's over its class's, the registration's
        // over both) winning. Sorted by code descending, so server errors (-32000, -32001, ...) read in
        // the order their numbers are written, nearest to zero first.
        return [.. declared.GroupBy(e => e.Code).Select(g => g.Last()).OrderByDescending(e => e.Code)];
    }
}
