using System.Reflection;
using System.Runtime.ExceptionServices;
using System.Text.Json;

namespace ActorRpc.Client;

/// <summary>
/// A client-side method: a delegate, with what is needed to bind the server's params to its
/// parameters (by position from an array, by name from an object) worked out once, when it is added.
/// A <see cref="CancellationToken"/> parameter gets the call's token, not a param.
/// </summary>
internal sealed class ClientMethod
{
    private readonly Delegate _handler;
    private readonly ParameterInfo[] _parameters;
    private readonly int _tokenIndex;
    private readonly Func<object?, ValueTask<object?>> _await;
    private readonly Type? _valueType;

    public ClientMethod(string name, Delegate handler)
    {
        Name = name;
        _handler = handler;
        _parameters = handler.Method.GetParameters();
        _tokenIndex = Array.FindIndex(_parameters, parameter => parameter.ParameterType == typeof(CancellationToken));
        (_await, _valueType) = TaskResults.For(handler.Method.ReturnType);
    }

    /// <summary>The method's name, as the server calls it.</summary>
    public string Name { get; }

    /// <summary>Binds <paramref name="parameters"/>, runs the handler and returns its result as JSON (null when it returns nothing).</summary>
    /// <exception cref="ClientParamsException">The params do not fit.</exception>
    public async Task<JsonElement?> InvokeAsync(JsonElement? parameters, JsonSerializerOptions options, CancellationToken cancellationToken)
    {
        var args = Bind(parameters, options, cancellationToken);
        object? returned;
        try
        {
            returned = _handler.DynamicInvoke(args);
        }
        catch (TargetInvocationException ex) when (ex.InnerException is not null)
        {
            ExceptionDispatchInfo.Capture(ex.InnerException).Throw();
            throw;
        }

        var value = await _await(returned).ConfigureAwait(false);
        if (_valueType is null)
        {
            return null;
        }

        return JsonSerializer.SerializeToElement(value, value?.GetType() ?? _valueType, options);
    }

    private object?[] Bind(JsonElement? parameters, JsonSerializerOptions options, CancellationToken cancellationToken)
    {
        var args = new object?[_parameters.Length];
        var valueCount = _parameters.Length - (_tokenIndex >= 0 ? 1 : 0);
        JsonElement? positional = parameters is { ValueKind: JsonValueKind.Array } array ? array : null;
        JsonElement? named = parameters is { ValueKind: JsonValueKind.Object } obj ? obj : null;
        if (parameters is { ValueKind: not (JsonValueKind.Array or JsonValueKind.Object or JsonValueKind.Null or JsonValueKind.Undefined) })
        {
            throw new ClientParamsException("Invalid params: params must be an array or an object.");
        }

        if (positional is { } list && list.GetArrayLength() > valueCount)
        {
            throw new ClientParamsException($"Invalid params: '{Name}' takes {valueCount} params, {list.GetArrayLength()} were given.");
        }

        var position = 0;
        for (var i = 0; i < _parameters.Length; i++)
        {
            var parameter = _parameters[i];
            if (i == _tokenIndex)
            {
                args[i] = cancellationToken;
                continue;
            }

            JsonElement? value = null;
            if (positional is { } items && position < items.GetArrayLength())
            {
                value = items[position];
            }
            else if (named is { } members)
            {
                value = Find(members, parameter.Name!);
            }

            position++;
            args[i] = value is { } given ? Read(given, parameter, options) : Missing(parameter);
        }

        return args;
    }

    private static JsonElement? Find(JsonElement members, string name)
    {
        if (members.TryGetProperty(name, out var exact))
        {
            return exact;
        }

        foreach (var member in members.EnumerateObject())
        {
            if (string.Equals(member.Name, name, StringComparison.OrdinalIgnoreCase))
            {
                return member.Value;
            }
        }

        return null;
    }

    private object? Read(JsonElement value, ParameterInfo parameter, JsonSerializerOptions options)
    {
        try
        {
            return value.Deserialize(parameter.ParameterType, options);
        }
        catch (JsonException ex)
        {
            throw new ClientParamsException($"Invalid params: parameter '{parameter.Name}' of '{Name}' could not be read as {parameter.ParameterType.Name}.", ex);
        }
    }

    private object? Missing(ParameterInfo parameter) =>
        parameter.HasDefaultValue
            ? parameter.DefaultValue
            : throw new ClientParamsException($"Invalid params: '{Name}' needs parameter '{parameter.Name}'.");
}
