using System.Collections.Immutable;
using System.Text;
using ActorRpc.Actors.Sessions;
using ActorRpc.Actors.Topics;
using ActorRpc.Methods.Definition;
using ActorRpc.Methods.Topics;

namespace ActorRpc.Tests.Sessions;

/// <summary>The built-in methods as a pure function: no actors, no transport.</summary>
public sealed class SessionBuiltInsSpec
{
    private const int InvalidParams = -32602;

    private static readonly TopicCatalog Catalog = new RpcTopicsBuilder().AddTopic("news").AddTopic("alerts").AddTopicPattern("orders.*").Build();

    [Fact]
    public void Answer_OrdinaryMethod_Null()
    {
        Assert.Null(SessionBuiltIns.Answer("add", Params("[1,2]"), SessionBuiltIns.NoSubscriptions, Catalog, 10, PatternTopicBudget.CreateUnlimited(), singleExchange: false));
    }

    [Fact]
    public void Subscribe_OverHttp_InvalidRequestSubscriptionsNeedWebSocketAndNothingChanges()
    {
        // Issue 12: an HTTP exchange ends with its answer, so its subscriptions would only leak registrations.
        var before = Set("news");
        var answer = SessionBuiltIns.Answer("subscribe", Params("""["alerts"]"""), before, Catalog, 10, PatternTopicBudget.CreateUnlimited(), singleExchange: true)!;

        Assert.Equal(-32600, answer.Error?.Code);
        Assert.Equal("subscriptions need a WebSocket", answer.Error?.Message);
        Assert.Same(before, answer.Subscriptions);
        Assert.Empty(answer.Subscribe);
    }

    [Fact]
    public void Subscribe_KnownTopics_ReturnsSortedSetAndOnlyTheNewTopics()
    {
        var answer = Answer("subscribe", """["orders.7","news","alerts"]""", Set("news"));

        Assert.Null(answer.Error);
        Assert.Equal(["alerts", "news", "orders.7"], (string[])answer.Result.Value!);
        Assert.Equal(["alerts", "news", "orders.7"], answer.Subscriptions);
        Assert.Equal(["orders.7", "alerts"], answer.Subscribe); // in request order; "news" was there already
        Assert.Empty(answer.Unsubscribe);
        Assert.Null(answer.CancelId);
    }

    [Fact]
    public void Subscribe_UnknownTopic_ReturnsInvalidParamsNamingIt()
    {
        var before = Set("news");
        var answer = Answer("subscribe", """{"topics":["news","weather"]}""", before);

        Assert.Equal(InvalidParams, answer.Error!.Code);
        Assert.Contains("'weather'", answer.Error.Message, StringComparison.Ordinal);
        Assert.Same(before, answer.Subscriptions);
        Assert.Empty(answer.Subscribe);
    }

    [Fact]
    public void Subscribe_BeyondMaxSubscriptionsPerSession_ReturnsInvalidParamsNamingTheSetting()
    {
        var answer = SessionBuiltIns.Answer("subscribe", Params("""["alerts","orders.1"]"""), Set("news"), Catalog, maxSubscriptionsPerSession: 2, PatternTopicBudget.CreateUnlimited(), singleExchange: false)!;

        Assert.Equal(InvalidParams, answer.Error!.Code);
        Assert.Contains("at most 2 topics", answer.Error.Message, StringComparison.Ordinal);
        Assert.Contains("ActorRpc:Limits:MaxSubscriptionsPerSession", answer.Error.Message, StringComparison.Ordinal);
        Assert.Empty(answer.Subscribe);
    }

    [Fact]
    public void Subscribe_UpToTheLimitCountingOnlyNewTopics_Succeeds()
    {
        var answer = SessionBuiltIns.Answer("subscribe", Params("""["news","alerts"]"""), Set("news"), Catalog, maxSubscriptionsPerSession: 2, PatternTopicBudget.CreateUnlimited(), singleExchange: false)!;

        Assert.Null(answer.Error);
        Assert.Equal(["alerts"], answer.Subscribe);
    }

    [Fact]
    public void Subscribe_BadParams_ReturnsInvalidParams()
    {
        var answer = Answer("subscribe", """{"topic":"news"}""", SessionBuiltIns.NoSubscriptions);

        Assert.Equal(InvalidParams, answer.Error!.Code);
        Assert.Contains("'topics'", answer.Error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Unsubscribe_SubscribedAndUnknownTopics_RemovesOnlyTheSubscribedOneHarmlessly()
    {
        var answer = Answer("unsubscribe", """["news","never-subscribed"]""", Set("news", "alerts"));

        Assert.Null(answer.Error);
        Assert.Equal(["alerts"], (string[])answer.Result.Value!);
        Assert.Equal(["news"], answer.Unsubscribe);
        Assert.Empty(answer.Subscribe);
    }

    [Fact]
    public void Unsubscribe_NothingSubscribed_AnswersEmptySet()
    {
        var answer = Answer("unsubscribe", """["weather"]""", SessionBuiltIns.NoSubscriptions);

        Assert.Null(answer.Error);
        Assert.Empty((string[])answer.Result.Value!);
        Assert.Empty(answer.Unsubscribe);
    }

    [Fact]
    public void GetSubscriptions_AnswersTheSortedSet()
    {
        var answer = Answer("get_subscriptions", "", Set("orders.2", "alerts"));

        Assert.Equal(["alerts", "orders.2"], (string[])answer.Result.Value!);
    }

    [Fact]
    public void GetTopics_AnswersTheCatalogsSortedNamesAndPatterns()
    {
        var answer = Answer("get_topics", "", SessionBuiltIns.NoSubscriptions);

        Assert.Equal(["alerts", "news", "orders.*"], (string[])answer.Result.Value!);
    }

    [Theory]
    [InlineData("""{"id":42}""", "42")]
    [InlineData("""["a"]""", "\"a\"")]
    public void CancelRequest_WithId_NamesTheIdToCancelAndAnswersNull(string parameters, string id)
    {
        var answer = Answer("$/cancelRequest", parameters, SessionBuiltIns.NoSubscriptions);

        Assert.Null(answer.Error);
        Assert.Equal(id, Encoding.UTF8.GetString(answer.CancelId!.Value.Span));
        Assert.Null(answer.Result.Value);
    }

    [Theory]
    [InlineData("")]
    [InlineData("""{"id":null}""")]
    [InlineData("""{"request":1}""")]
    [InlineData("[true]")]
    public void CancelRequest_BadParams_ReturnsInvalidParams(string parameters)
    {
        var answer = Answer("$/cancelRequest", parameters, SessionBuiltIns.NoSubscriptions);

        Assert.Equal(InvalidParams, answer.Error!.Code);
        Assert.Null(answer.CancelId);
    }

    [Fact]
    public void Frame_Notification_None()
    {
        var options = RpcMethodsOptions.CreateDefaultSerializerOptions();

        Assert.Null(Answer("get_topics", "", SessionBuiltIns.NoSubscriptions).Frame(default, options));
        Assert.Null(Answer("$/cancelRequest", "{}", SessionBuiltIns.NoSubscriptions).Frame(default, options));
    }

    [Fact]
    public void Frame_Request_ResultOrErrorWithItsId()
    {
        var options = RpcMethodsOptions.CreateDefaultSerializerOptions();

        var result = Encoding.UTF8.GetString(Answer("get_subscriptions", "", Set("news")).Frame("1"u8.ToArray(), options)!);
        var error = Encoding.UTF8.GetString(Answer("$/cancelRequest", "{}", SessionBuiltIns.NoSubscriptions).Frame("2"u8.ToArray(), options)!);

        Infrastructure.JsonAssert.Equivalent("""{"jsonrpc":"2.0","result":["news"],"id":1}""", result);
        Assert.Contains("\"code\":-32602", error, StringComparison.Ordinal);
        Assert.Contains("\"id\":2", error, StringComparison.Ordinal);
    }

    private static BuiltInAnswer Answer(string method, string parameters, ImmutableSortedSet<string> subscriptions) =>
        SessionBuiltIns.Answer(method, Params(parameters), subscriptions, Catalog, maxSubscriptionsPerSession: 10, PatternTopicBudget.CreateUnlimited(), singleExchange: false)!;

    private static ReadOnlyMemory<byte> Params(string json) => Encoding.UTF8.GetBytes(json);

    private static ImmutableSortedSet<string> Set(params string[] topics) => SessionBuiltIns.NoSubscriptions.Union(topics);
}
