using System.Text.Json;
using System.Text.Json.Nodes;

namespace ActorRpc.Tests.Infrastructure;

/// <summary>Assertions on JSON-RPC responses that compare structure, not formatting.</summary>
public static class JsonAssert
{
    /// <summary>Asserts two JSON texts are equal as JSON values (member order ignored, numbers compared as written).</summary>
    public static void Equivalent(string expected, string actual) =>
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(expected), JsonNode.Parse(actual)), $"Expected {expected}\nbut got  {actual}");

    /// <summary>Asserts a batch response holds exactly the expected responses, in any order.</summary>
    public static void BatchEquivalent(string expectedArray, string actualArray)
    {
        var expected = JsonNode.Parse(expectedArray)!.AsArray().Select(n => n!.ToJsonString()).ToList();
        var actual = JsonNode.Parse(actualArray)!.AsArray().ToList();
        Assert.Equal(expected.Count, actual.Count);
        foreach (var item in actual)
        {
            var match = expected.FindIndex(e => JsonNode.DeepEquals(JsonNode.Parse(e), item));
            Assert.True(match >= 0, $"Unexpected response {item!.ToJsonString()} in {actualArray}");
            expected.RemoveAt(match);
        }
    }

    /// <summary>Asserts <paramref name="response"/> is a JSON-RPC error with <paramref name="code"/> and returns its error object.</summary>
    public static JsonElement Error(JsonElement response, int code)
    {
        Assert.Equal("2.0", response.GetProperty("jsonrpc").GetString());
        Assert.False(response.TryGetProperty("result", out _), $"An error response must not have a result: {response}");
        var error = response.GetProperty("error");
        Assert.Equal(code, error.GetProperty("code").GetInt32());
        Assert.Equal(JsonValueKind.String, error.GetProperty("message").ValueKind);
        return error;
    }

    /// <summary>Asserts <paramref name="response"/> is a JSON-RPC success and returns its result.</summary>
    public static JsonElement Result(JsonElement response)
    {
        Assert.Equal("2.0", response.GetProperty("jsonrpc").GetString());
        Assert.False(response.TryGetProperty("error", out _), $"A success response must not have an error: {response}");
        return response.GetProperty("result");
    }
}
