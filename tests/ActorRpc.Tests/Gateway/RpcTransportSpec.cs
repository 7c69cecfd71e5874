using System.Text.Json;
using System.Text.Json.Nodes;
using ActorRpc.Tests.Infrastructure;

namespace ActorRpc.Tests.Gateway;

/// <summary>
/// The protocol, run once over each transport: every example of section 7 of the JSON-RPC 2.0
/// specification, plus the rules the issue adds (ids kept exactly, one of result/error, JSON types kept).
/// </summary>
public abstract class RpcTransportSpec(SpecServerFixture fixture) : IClassFixture<SpecServerFixture>
{
    protected RpcServer Server => fixture.Server;

    /// <summary>Sends one message; returns the response text, or null when the server sent none.</summary>
    protected abstract Task<string?> ExchangeAsync(string message, bool expectResponse);

    private async Task AssertExchange(string request, string expected)
    {
        var actual = await ExchangeAsync(request, expectResponse: true);
        Assert.NotNull(actual);
        var expectedNode = JsonNode.Parse(expected)!;
        var actualNode = StripErrorData(JsonNode.Parse(actual)!);
        if (expectedNode is JsonArray)
        {
            JsonAssert.BatchEquivalent(expected, actualNode.ToJsonString());
        }
        else
        {
            JsonAssert.Equivalent(expected, actualNode.ToJsonString());
        }
    }

    private async Task AssertNoResponse(string request) => Assert.Null(await ExchangeAsync(request, expectResponse: false));

    // The specification's examples carry no error "data"; ours may add it (it is optional), so it is not compared.
    private static JsonNode StripErrorData(JsonNode node)
    {
        if (node is JsonArray array)
        {
            foreach (var item in array)
            {
                StripErrorData(item!);
            }
        }
        else if (node is JsonObject obj && obj["error"] is JsonObject error)
        {
            error.Remove("data");
        }

        return node;
    }

    [Fact]
    public Task SpecExample_PositionalParams_Result19() => AssertExchange(
        """{"jsonrpc": "2.0", "method": "subtract", "params": [42, 23], "id": 1}""",
        """{"jsonrpc": "2.0", "result": 19, "id": 1}""");

    [Fact]
    public Task SpecExample_PositionalParamsSwapped_ResultMinus19() => AssertExchange(
        """{"jsonrpc": "2.0", "method": "subtract", "params": [23, 42], "id": 2}""",
        """{"jsonrpc": "2.0", "result": -19, "id": 2}""");

    [Fact]
    public Task SpecExample_NamedParams_Result19() => AssertExchange(
        """{"jsonrpc": "2.0", "method": "subtract", "params": {"subtrahend": 23, "minuend": 42}, "id": 3}""",
        """{"jsonrpc": "2.0", "result": 19, "id": 3}""");

    [Fact]
    public Task SpecExample_NamedParamsReordered_Result19() => AssertExchange(
        """{"jsonrpc": "2.0", "method": "subtract", "params": {"minuend": 42, "subtrahend": 23}, "id": 4}""",
        """{"jsonrpc": "2.0", "result": 19, "id": 4}""");

    [Fact]
    public Task SpecExample_Notification_NoResponse() =>
        AssertNoResponse("""{"jsonrpc": "2.0", "method": "update", "params": [1,2,3,4,5]}""");

    [Fact]
    public Task SpecExample_NotificationOfUnknownMethod_NoResponse() =>
        AssertNoResponse("""{"jsonrpc": "2.0", "method": "foobar"}""");

    [Fact]
    public Task SpecExample_UnknownMethod_MethodNotFound() => AssertExchange(
        """{"jsonrpc": "2.0", "method": "foobar", "id": "1"}""",
        """{"jsonrpc": "2.0", "error": {"code": -32601, "message": "Method not found"}, "id": "1"}""");

    [Fact]
    public Task SpecExample_InvalidJson_ParseError() => AssertExchange(
        """{"jsonrpc": "2.0", "method": "foobar, "params": "bar", "baz]""",
        """{"jsonrpc": "2.0", "error": {"code": -32700, "message": "Parse error"}, "id": null}""");

    [Fact]
    public Task SpecExample_InvalidRequestObject_InvalidRequest() => AssertExchange(
        """{"jsonrpc": "2.0", "method": 1, "params": "bar"}""",
        """{"jsonrpc": "2.0", "error": {"code": -32600, "message": "Invalid Request"}, "id": null}""");

    [Fact]
    public Task SpecExample_BatchWithInvalidJson_SingleParseError() => AssertExchange(
        """
        [
          {"jsonrpc": "2.0", "method": "sum", "params": [1,2,4], "id": "1"},
          {"jsonrpc": "2.0", "method"
        ]
        """,
        """{"jsonrpc": "2.0", "error": {"code": -32700, "message": "Parse error"}, "id": null}""");

    [Fact]
    public Task SpecExample_EmptyBatch_SingleInvalidRequest() => AssertExchange(
        "[]",
        """{"jsonrpc": "2.0", "error": {"code": -32600, "message": "Invalid Request"}, "id": null}""");

    [Fact]
    public Task SpecExample_BatchOfOneNonObject_ArrayOfOneInvalidRequest() => AssertExchange(
        "[1]",
        """[{"jsonrpc": "2.0", "error": {"code": -32600, "message": "Invalid Request"}, "id": null}]""");

    [Fact]
    public Task SpecExample_BatchOfThreeNonObjects_ThreeInvalidRequests() => AssertExchange(
        "[1,2,3]",
        """
        [
          {"jsonrpc": "2.0", "error": {"code": -32600, "message": "Invalid Request"}, "id": null},
          {"jsonrpc": "2.0", "error": {"code": -32600, "message": "Invalid Request"}, "id": null},
          {"jsonrpc": "2.0", "error": {"code": -32600, "message": "Invalid Request"}, "id": null}
        ]
        """);

    [Fact]
    public Task SpecExample_MixedBatch_ResponsesForRequestsOnly() => AssertExchange(
        """
        [
          {"jsonrpc": "2.0", "method": "sum", "params": [1,2,4], "id": "1"},
          {"jsonrpc": "2.0", "method": "notify_hello", "params": [7]},
          {"jsonrpc": "2.0", "method": "subtract", "params": [42,23], "id": "2"},
          {"foo": "boo"},
          {"jsonrpc": "2.0", "method": "foo.get", "params": {"name": "myself"}, "id": "5"},
          {"jsonrpc": "2.0", "method": "get_data", "id": "9"}
        ]
        """,
        """
        [
          {"jsonrpc": "2.0", "result": 7, "id": "1"},
          {"jsonrpc": "2.0", "result": 19, "id": "2"},
          {"jsonrpc": "2.0", "error": {"code": -32600, "message": "Invalid Request"}, "id": null},
          {"jsonrpc": "2.0", "error": {"code": -32601, "message": "Method not found"}, "id": "5"},
          {"jsonrpc": "2.0", "result": ["hello", 5], "id": "9"}
        ]
        """);

    [Fact]
    public Task SpecExample_BatchOfNotifications_NoResponse() => AssertNoResponse(
        """
        [
          {"jsonrpc": "2.0", "method": "notify_sum", "params": [1,2,4]},
          {"jsonrpc": "2.0", "method": "notify_hello", "params": [7]}
        ]
        """);

    [Theory]
    [InlineData("9007199254740993")]
    [InlineData("-0")]
    [InlineData("1.5e3")]
    [InlineData("\"abc\"")]
    [InlineData("\"a\\\"b\\u00e9\"")]
    [InlineData("null")]
    public async Task Id_AnyValidForm_EchoedExactlyAsSent(string id)
    {
        var response = await ExchangeAsync($$"""{"jsonrpc":"2.0","method":"ping","id":{{id}}}""", expectResponse: true);
        Assert.Contains($"\"id\":{id}", response, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"method":"ping","id":1}""")]
    [InlineData("""{"jsonrpc":"1.0","method":"ping","id":1}""")]
    [InlineData("""{"jsonrpc":2.0,"method":"ping","id":1}""")]
    [InlineData("""{"jsonrpc":"2.0","method":"ping","params":"x","id":1}""")]
    [InlineData("""{"jsonrpc":"2.0","method":"ping","params":7,"id":1}""")]
    [InlineData("""{"jsonrpc":"2.0","params":[],"id":1}""")]
    [InlineData("""{"jsonrpc":"2.0","method":null,"id":1}""")]
    public async Task Request_Malformed_InvalidRequestWithItsId(string request)
    {
        var response = JsonDocument.Parse((await ExchangeAsync(request, expectResponse: true))!).RootElement;
        JsonAssert.Error(response, -32600);
        Assert.Equal(1, response.GetProperty("id").GetInt32());
    }

    [Fact]
    public async Task Request_IdOfWrongType_InvalidRequestWithNullId()
    {
        var response = JsonDocument.Parse((await ExchangeAsync("""{"jsonrpc":"2.0","method":"ping","id":{"a":1}}""", expectResponse: true))!).RootElement;
        JsonAssert.Error(response, -32600);
        Assert.Equal(JsonValueKind.Null, response.GetProperty("id").ValueKind);
    }

    [Theory]
    [InlineData("""{"jsonrpc":"2.0","method":"ping","id":1}""")]
    [InlineData("""{"jsonrpc":"2.0","method":"ping","params":[],"id":1}""")]
    [InlineData("""{"jsonrpc":"2.0","method":"ping","params":{},"id":1}""")]
    public async Task Ping_AbsentOrEmptyParams_Pong(string request)
    {
        var response = JsonDocument.Parse((await ExchangeAsync(request, expectResponse: true))!).RootElement;
        Assert.Equal("pong", JsonAssert.Result(response).GetString());
    }

    [Theory]
    [InlineData("""{"jsonrpc":"2.0","method":"nope","id":1}""")]
    [InlineData("""{"jsonrpc":"2.0","method":"nope","params":[],"id":1}""")]
    [InlineData("""{"jsonrpc":"2.0","method":"nope","params":{"a":1},"id":1}""")]
    public async Task UnknownMethod_WhateverParams_MethodNotFound(string request)
    {
        var response = JsonDocument.Parse((await ExchangeAsync(request, expectResponse: true))!).RootElement;
        JsonAssert.Error(response, -32601);
    }

    [Theory]
    [InlineData("[2,3]", "5")]
    [InlineData("""{"a":2,"b":3}""", "5")]
    [InlineData("[2.5,0.25]", "2.75")]
    [InlineData("[9007199254740993,0]", "9007199254740993")]
    public async Task Add_Numbers_SumKeepsJsonType(string parameters, string expected)
    {
        var response = await ExchangeAsync($$"""{"jsonrpc":"2.0","method":"add","params":{{parameters}},"id":1}""", expectResponse: true);
        Assert.Contains($"\"result\":{expected}}}", response, StringComparison.Ordinal);
        Assert.DoesNotContain("\"error\"", response, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("[1]", "b")]
    [InlineData("""["x",1]""", "a")]
    [InlineData("""{"a":1}""", "b")]
    [InlineData("""{"a":1,"b":null}""", "b")]
    public async Task Add_MissingOrNonNumeric_InvalidParamsNamingTheParameter(string parameters, string name)
    {
        var response = JsonDocument.Parse((await ExchangeAsync($$"""{"jsonrpc":"2.0","method":"add","params":{{parameters}},"id":1}""", expectResponse: true))!).RootElement;
        var error = JsonAssert.Error(response, -32602);
        Assert.Contains($"'{name}'", error.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("[7,2]", 3)]
    [InlineData("""{"a":-7,"b":2}""", -3)]
    public async Task Divide_Integers_IntegerQuotient(string parameters, long expected)
    {
        var response = JsonDocument.Parse((await ExchangeAsync($$"""{"jsonrpc":"2.0","method":"divide","params":{{parameters}},"id":1}""", expectResponse: true))!).RootElement;
        Assert.Equal(expected, JsonAssert.Result(response).GetInt64());
    }

    // Issue #12: which of two values bound depended on the lookup path; now neither does.
    [Theory]
    [InlineData("""{"a":6,"a":2,"b":1}""", "'a'")]
    [InlineData("""{"a":6,"b":1,"A":2}""", "'A'")]
    public async Task Divide_NamedKeyTwiceOrInTwoCases_InvalidParamsNamingTheKey(string parameters, string named)
    {
        var response = JsonDocument.Parse((await ExchangeAsync($$"""{"jsonrpc":"2.0","method":"divide","params":{{parameters}},"id":1}""", expectResponse: true))!).RootElement;
        var error = JsonAssert.Error(response, -32602);
        Assert.Contains(named, error.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnknownMethod_HugeName_ErrorDataEchoesItBounded()
    {
        var name = "m" + new string('x', 50_000);
        var response = JsonDocument.Parse((await ExchangeAsync($$"""{"jsonrpc":"2.0","method":"{{name}}","id":1}""", expectResponse: true))!).RootElement;
        var echoed = JsonAssert.Error(response, -32601).GetProperty("data").GetProperty("method").GetString()!;
        Assert.StartsWith("mxxx", echoed, StringComparison.Ordinal);
        Assert.EndsWith("chars)", echoed, StringComparison.Ordinal);
        Assert.True(echoed.Length < 160, $"{echoed.Length} chars");
    }

    [Fact]
    public async Task Divide_ByZero_InternalErrorWithoutDetailsAndTraceLogged()
    {
        var response = JsonDocument.Parse((await ExchangeAsync("""{"jsonrpc":"2.0","method":"divide","params":[1,0],"id":"z"}""", expectResponse: true))!).RootElement;
        var error = JsonAssert.Error(response, -32603);
        Assert.Equal("Internal error", error.GetProperty("message").GetString());
        Assert.False(error.TryGetProperty("data", out _), "Details are redacted unless DetailedErrors is on.");
        var logged = await Server.Logs.WaitForAsync(e => e.Level == Microsoft.Extensions.Logging.LogLevel.Error && e.Message.Contains("Method [divide] failed", StringComparison.Ordinal));
        Assert.Contains("DivideByZeroException", logged.ToString(), StringComparison.Ordinal);
        Assert.Contains("DemoMethods.Divide", logged.ToString(), StringComparison.Ordinal); // the stack trace
    }

    [Fact]
    public async Task ComputerSaysNo_Always_ServerDefinedError()
    {
        var response = JsonDocument.Parse((await ExchangeAsync("""{"jsonrpc":"2.0","method":"computer_says_no","id":1}""", expectResponse: true))!).RootElement;
        var error = JsonAssert.Error(response, -32050);
        Assert.Equal("Computer says no.", error.GetProperty("message").GetString());
    }

    [Theory]
    [InlineData("[1,[2,{\"x\":null}]]")]
    [InlineData("{\"k\":\"v\",\"n\":1.50}")]
    public async Task Echo_AnyParams_ReturnedUnchanged(string parameters)
    {
        var response = JsonDocument.Parse((await ExchangeAsync($$"""{"jsonrpc":"2.0","method":"echo","params":{{parameters}},"id":1}""", expectResponse: true))!).RootElement;
        JsonAssert.Equivalent(parameters, JsonAssert.Result(response).GetRawText());
    }

    [Fact]
    public async Task Sleep_Milliseconds_ReturnsThem()
    {
        var response = JsonDocument.Parse((await ExchangeAsync("""{"jsonrpc":"2.0","method":"sleep","params":{"ms":20},"id":1}""", expectResponse: true))!).RootElement;
        Assert.Equal(20, JsonAssert.Result(response).GetInt32());
    }

    [Fact]
    public async Task GetMethods_Always_ListsDemoAndBuiltInMethods()
    {
        var response = JsonDocument.Parse((await ExchangeAsync("""{"jsonrpc":"2.0","method":"get_methods","id":1}""", expectResponse: true))!).RootElement;
        var names = JsonAssert.Result(response).EnumerateArray().Select(n => n.GetString()).ToList();
        Assert.Superset(new HashSet<string?> { "ping", "echo", "add", "divide", "computer_says_no", "sleep", "get_methods", "subtract" }, names.ToHashSet());
    }
}
