using System.Reflection;
using System.Text.Json;
using ActorRpc.Methods.Errors;

namespace ActorRpc.Methods.Binding;

/// <summary>
/// Turns a call's params (positional array, named object, or absent) into the argument list of
/// one .NET method. Built once per method; binding is a pure function of its inputs.
/// </summary>
internal sealed class ParameterBinder
{
    private readonly ParameterSlot[] _slots;
    private readonly int _jsonSlotCount;
    private readonly bool _bindsWholeParams;
    private readonly JsonSerializerOptions _options;

    public ParameterBinder(MethodInfo method, JsonSerializerOptions options)
    {
        _options = options;
        var nullability = new NullabilityInfoContext();
        var parameters = method.GetParameters();
        _slots = new ParameterSlot[parameters.Length];
        for (var i = 0; i < parameters.Length; i++)
        {
            _slots[i] = ParameterSlot.For(parameters[i], nullability);
        }

        _jsonSlotCount = _slots.Count(s => s.Kind == SlotKind.Json);
        _bindsWholeParams = _slots.Any(s => s.Kind == SlotKind.WholeParams);
        if (_bindsWholeParams && (_jsonSlotCount > 0 || _slots.Count(s => s.Kind == SlotKind.WholeParams) > 1))
        {
            throw new InvalidOperationException(
                $"Method {method.DeclaringType?.Name}.{method.Name}: a [RpcParams] parameter must be the only parameter bound from JSON.");
        }
    }

    /// <summary>The names clients use for the JSON-bound parameters, in order.</summary>
    public IEnumerable<string> JsonParameterNames => _slots.Where(s => s.Kind == SlotKind.Json).Select(s => s.Name);

    public object?[] Bind(ReadOnlyMemory<byte> rawParams, RpcContext context, CancellationToken cancellationToken)
    {
        ParamsText.RejectInvalidUnicode(rawParams);
        if (_slots.Length == 0)
        {
            RejectArgumentsForParameterlessMethod(rawParams);
            return [];
        }

        var args = new object?[_slots.Length];

        JsonDocument? document = null;
        try
        {
            JsonElement? root = null;
            if (!rawParams.IsEmpty)
            {
                // The server checked the whole message's depth (ActorRpc:Limits:MaxJsonDepth) before dispatching it.
                document = JsonDocument.Parse(rawParams, new JsonDocumentOptions { MaxDepth = int.MaxValue });
                root = document.RootElement;
            }

            if (!_bindsWholeParams)
            {
                BindJsonSlots(root, args);
            }

            for (var i = 0; i < _slots.Length; i++)
            {
                var slot = _slots[i];
                switch (slot.Kind)
                {
                    case SlotKind.CancellationToken:
                        args[i] = cancellationToken;
                        break;
                    case SlotKind.Context:
                        args[i] = context;
                        break;
                    case SlotKind.WholeParams:
                        args[i] = root is { } whole ? Convert(slot, whole) : slot.MissingValue();
                        break;
                }
            }

            return args;
        }
        finally
        {
            document?.Dispose();
        }
    }

    private static void RejectArgumentsForParameterlessMethod(ReadOnlyMemory<byte> rawParams)
    {
        if (rawParams.IsEmpty)
        {
            return;
        }

        // "[]" and "{}" mean "no arguments" (StreamJsonRpc always sends []); anything else is an argument too many.
        var reader = new Utf8JsonReader(rawParams.Span);
        reader.Read();
        var start = reader.TokenType;
        reader.Read();
        if ((start == JsonTokenType.StartArray && reader.TokenType == JsonTokenType.EndArray)
            || (start == JsonTokenType.StartObject && reader.TokenType == JsonTokenType.EndObject))
        {
            return;
        }

        if (start == JsonTokenType.StartObject && reader.TokenType == JsonTokenType.PropertyName)
        {
            throw new RpcInvalidParamsException($"Invalid params: unknown parameter '{ClientText.Bound(reader.GetString()!)}'; this method takes no parameters.");
        }

        throw new RpcInvalidParamsException("Invalid params: this method takes no parameters.");
    }

    private void BindJsonSlots(JsonElement? root, object?[] args)
    {
        if (root is { ValueKind: JsonValueKind.String or JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False } scalar)
        {
            // Only the aiohttp-json-rpc profile lets a scalar params through the parser: it is one positional argument.
            BindOnePositional(scalar, args);
            return;
        }

        if (root is { ValueKind: JsonValueKind.Array } array)
        {
            var count = array.GetArrayLength();
            if (count > _jsonSlotCount)
            {
                throw new RpcInvalidParamsException(
                    $"Invalid params: {count} positional parameters given, at most {_jsonSlotCount} expected ({string.Join(", ", JsonParameterNames)}).");
            }

            var position = 0;
            for (var i = 0; i < _slots.Length; i++)
            {
                var slot = _slots[i];
                if (slot.Kind != SlotKind.Json)
                {
                    continue;
                }

                args[i] = position < count ? Convert(slot, array[position]) : slot.MissingValue();
                position++;
            }

            return;
        }

        if (root is { ValueKind: JsonValueKind.Object } obj)
        {
            BindNamed(obj, args);
            return;
        }

        // Absent params: every JSON parameter must be optional.
        for (var i = 0; i < _slots.Length; i++)
        {
            if (_slots[i].Kind == SlotKind.Json)
            {
                args[i] = _slots[i].MissingValue();
            }
        }
    }

    /// <summary>
    /// Binds named params in one pass over the object's keys. Each parameter may be named once:
    /// a repeated key (<c>{"a":1,"a":2}</c>) or two spellings of one parameter (<c>{"name":1,"Name":2}</c>,
    /// <c>{"userId":1,"user_id":2}</c>) is -32602 naming the key, since which value would win
    /// depended on the lookup path (issue #12).
    /// </summary>
    private void BindNamed(JsonElement obj, object?[] args)
    {
        var given = new string?[_slots.Length];
        string? unknown = null;
        foreach (var property in obj.EnumerateObject())
        {
            var index = SlotFor(property.Name);
            if (index < 0)
            {
                unknown ??= property.Name;
                continue;
            }

            if (given[index] is { } earlier)
            {
                throw new RpcInvalidParamsException(string.Equals(earlier, property.Name, StringComparison.Ordinal)
                    ? $"Invalid params: parameter '{ClientText.Bound(property.Name)}' is given more than once."
                    : $"Invalid params: parameter '{ClientText.Bound(property.Name)}' is given more than once (also as '{ClientText.Bound(earlier)}').");
            }

            given[index] = property.Name;
            args[index] = Convert(_slots[index], property.Value);
        }

        for (var i = 0; i < _slots.Length; i++)
        {
            if (_slots[i].Kind == SlotKind.Json && given[i] is null)
            {
                args[i] = _slots[i].MissingValue();
            }
        }

        // Missing beats unknown: "subtrahendd" is best answered with the "subtrahend" it should have been.
        if (unknown is not null)
        {
            throw new RpcInvalidParamsException($"Invalid params: unknown parameter '{ClientText.Bound(unknown)}'; expected {DescribeExpected()}.");
        }
    }

    // The JSON parameter a key names (exact name first, then any accepted spelling); -1 for none.
    private int SlotFor(string key)
    {
        var match = -1;
        for (var i = 0; i < _slots.Length; i++)
        {
            var slot = _slots[i];
            if (slot.Kind != SlotKind.Json)
            {
                continue;
            }

            if (string.Equals(slot.Name, key, StringComparison.Ordinal))
            {
                return i;
            }

            if (match < 0 && slot.Matches(key))
            {
                match = i;
            }
        }

        return match;
    }

    private void BindOnePositional(JsonElement value, object?[] args)
    {
        if (_jsonSlotCount == 0)
        {
            throw new RpcInvalidParamsException("Invalid params: 1 positional parameter given, at most 0 expected ().");
        }

        var first = true;
        for (var i = 0; i < _slots.Length; i++)
        {
            if (_slots[i].Kind != SlotKind.Json)
            {
                continue;
            }

            args[i] = first ? Convert(_slots[i], value) : _slots[i].MissingValue();
            first = false;
        }
    }

    private string DescribeExpected() => _jsonSlotCount == 0 ? "none" : string.Join(", ", JsonParameterNames);

    private object? Convert(ParameterSlot slot, JsonElement value)
    {
        if (value.ValueKind == JsonValueKind.Null && !slot.AcceptsNull)
        {
            throw new RpcInvalidParamsException($"Invalid params: parameter '{slot.Name}' must not be null; expected {slot.Describe()}.");
        }

        try
        {
            return value.Deserialize(slot.Type, _options);
        }
        catch (Exception ex) when (ex is JsonException or NotSupportedException or InvalidOperationException or FormatException or OverflowException)
        {
            throw new RpcInvalidParamsException($"Invalid params: parameter '{slot.Name}' must be {slot.Describe()}.");
        }
    }
}
