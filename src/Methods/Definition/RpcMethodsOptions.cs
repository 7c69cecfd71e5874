using System.Text.Json;
using System.Text.Json.Serialization;

namespace ActorRpc;

/// <summary>How methods are named on the wire and how their parameters and results are (de)serialized.</summary>
public sealed class RpcMethodsOptions
{
    /// <summary>The prefix separator of strict JSON-RPC 2.0 (no compatibility profile).</summary>
    public const string DefaultPrefixSeparator = ".";

    /// <summary>The prefix separator of aiohttp-json-rpc, the default under its compatibility profile.</summary>
    public const string AiohttpPrefixSeparator = "__";

    /// <summary>
    /// Put between a prefix and a method name: <c>math.add</c>. <c>__</c> keeps the wire names of
    /// aiohttp-json-rpc clients. <b>Default:</b> null, which means <c>.</c>, or <c>__</c> under the
    /// <see cref="RpcCompatibility.AiohttpJsonRpc"/> profile (<c>ActorRpc:Protocol:Compatibility</c>).
    /// </summary>
    public string? PrefixSeparator { get; set; }

    /// <summary>
    /// How C# method names become wire names when <see cref="RpcMethodAttribute.Name"/> is not set.
    /// <b>Default:</b> <see cref="RpcMethodNaming.SnakeCaseLower"/> (<c>ComputerSaysNo</c> → <c>computer_says_no</c>).
    /// </summary>
    public RpcMethodNaming MethodNaming { get; set; } = RpcMethodNaming.SnakeCaseLower;

    /// <summary>
    /// Options for binding parameters and writing results. <b>Default:</b> web defaults
    /// (camelCase properties, case-insensitive reads) but strict numbers: <c>"5"</c> is not an integer.
    /// </summary>
    public JsonSerializerOptions SerializerOptions { get; set; } = CreateDefaultSerializerOptions();

    /// <summary>The serializer options ActorRpc starts from.</summary>
    public static JsonSerializerOptions CreateDefaultSerializerOptions() => new(JsonSerializerDefaults.Web)
    {
        NumberHandling = JsonNumberHandling.Strict,
        MaxDepth = 64,
    };

    internal string ConvertName(string csharpName)
    {
        var name = csharpName.EndsWith("Async", StringComparison.Ordinal) && csharpName.Length > "Async".Length
            ? csharpName[..^"Async".Length]
            : csharpName;
        return MethodNaming switch
        {
            RpcMethodNaming.AsDeclared => name,
            RpcMethodNaming.CamelCase => JsonNamingPolicy.CamelCase.ConvertName(name),
            RpcMethodNaming.SnakeCaseLower => JsonNamingPolicy.SnakeCaseLower.ConvertName(name),
            RpcMethodNaming.KebabCaseLower => JsonNamingPolicy.KebabCaseLower.ConvertName(name),
            _ => name,
        };
    }
}

/// <summary>How a C# method name becomes a wire name.</summary>
public enum RpcMethodNaming
{
    /// <summary><c>ComputerSaysNo</c> → <c>computer_says_no</c>.</summary>
    SnakeCaseLower,

    /// <summary><c>ComputerSaysNo</c> → <c>computerSaysNo</c>.</summary>
    CamelCase,

    /// <summary><c>ComputerSaysNo</c> → <c>computer-says-no</c>.</summary>
    KebabCaseLower,

    /// <summary><c>ComputerSaysNo</c> stays <c>ComputerSaysNo</c>.</summary>
    AsDeclared,
}
