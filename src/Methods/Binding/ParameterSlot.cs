using System.Reflection;
using System.Text.Json;

namespace ActorRpc.Methods.Binding;

internal enum SlotKind
{
    Json,
    WholeParams,
    CancellationToken,
    Context,
}

/// <summary>How one parameter of a handler gets its value.</summary>
internal sealed class ParameterSlot
{
    private static readonly JsonElement JsonNull = JsonDocument.Parse("null").RootElement;

    private ParameterSlot(SlotKind kind, string name, Type type, bool hasDefault, object? defaultValue, bool acceptsNull)
    {
        Kind = kind;
        Name = name;
        Type = type;
        IsOptional = hasDefault;
        DefaultValue = defaultValue;
        AcceptsNull = acceptsNull;
    }

    public SlotKind Kind { get; }

    public string Name { get; }

    public Type Type { get; }

    public bool AcceptsNull { get; }

    /// <summary>Whether a call may leave it out (it has a default, or is a nullable whole-params parameter).</summary>
    public bool IsOptional { get; }

    /// <summary>The value it takes when left out, if it declares one (<c>int retries = 3</c>).</summary>
    public bool HasDeclaredDefault { get; private init; }

    /// <summary>The declared default, normalized as binding uses it.</summary>
    public object? DefaultValue { get; }

    public static ParameterSlot For(ParameterInfo parameter, NullabilityInfoContext nullability)
    {
        var name = parameter.Name ?? $"arg{parameter.Position}";
        var type = parameter.ParameterType;
        if (type == typeof(CancellationToken))
        {
            return new ParameterSlot(SlotKind.CancellationToken, name, type, false, null, false);
        }

        if (type == typeof(RpcContext))
        {
            return new ParameterSlot(SlotKind.Context, name, type, false, null, false);
        }

        var acceptsNull = AcceptsNullValue(parameter, nullability);
        var kind = parameter.GetCustomAttribute<RpcParamsAttribute>() is null ? SlotKind.Json : SlotKind.WholeParams;

        // A nullable whole-params parameter binds absent params as null, so it counts as optional.
        var hasDefault = parameter.HasDefaultValue || (kind == SlotKind.WholeParams && acceptsNull);
        var defaultValue = parameter.HasDefaultValue ? NormalizeDefault(parameter) : null;
        return new ParameterSlot(kind, name, type, hasDefault, defaultValue, acceptsNull) { HasDeclaredDefault = parameter.HasDefaultValue };
    }

    public bool Matches(string propertyName) => string.Equals(propertyName, Name, StringComparison.OrdinalIgnoreCase)
        || string.Equals(propertyName, JsonNamingPolicy.SnakeCaseLower.ConvertName(Name), StringComparison.OrdinalIgnoreCase);

    public object? MissingValue()
    {
        if (IsOptional)
        {
            // A JsonElement cannot be null: absent params bind as a JSON null rather than an undefined element.
            return DefaultValue is null && Type == typeof(JsonElement) ? JsonNull : DefaultValue;
        }

        throw new RpcInvalidParamsException(Type == typeof(JsonElement)
            ? $"Invalid params: missing required parameter '{Name}'."
            : $"Invalid params: missing required parameter '{Name}' ({Describe()}).");
    }

    public string Describe()
    {
        var type = Nullable.GetUnderlyingType(Type) ?? Type;
        return Type.GetTypeCode(type) switch
        {
            TypeCode.Byte or TypeCode.SByte or TypeCode.Int16 or TypeCode.UInt16 or TypeCode.Int32 or TypeCode.UInt32
                or TypeCode.Int64 or TypeCode.UInt64 => $"an integer ({type.Name})",
            TypeCode.Single or TypeCode.Double or TypeCode.Decimal => "a number",
            TypeCode.String => "a string",
            TypeCode.Boolean => "a boolean",
            _ when type == typeof(JsonElement) => "a JSON value",
            _ when type.IsArray || (type != typeof(string) && typeof(System.Collections.IEnumerable).IsAssignableFrom(type)) => "an array",
            _ => $"an object ({type.Name})",
        };
    }

    private static bool AcceptsNullValue(ParameterInfo parameter, NullabilityInfoContext nullability)
    {
        var type = parameter.ParameterType;
        if (type == typeof(JsonElement))
        {
            return true;
        }

        if (type.IsValueType)
        {
            return Nullable.GetUnderlyingType(type) is not null;
        }

        return nullability.Create(parameter).WriteState != NullabilityState.NotNull;
    }

    private static object? NormalizeDefault(ParameterInfo parameter)
    {
        // Optional value-type parameters declared as "= default" report DBNull or null; give them the type's default.
        var value = parameter.DefaultValue;
        var type = parameter.ParameterType;
        if (value is null || value is DBNull)
        {
            return type.IsValueType && Nullable.GetUnderlyingType(type) is null ? Activator.CreateInstance(type) : null;
        }

        // Reflection reports the default of a nullable enum as its underlying number (dotnet/runtime#12924).
        return Nullable.GetUnderlyingType(type) is { IsEnum: true } underlying ? Enum.ToObject(underlying, value) : value;
    }
}
