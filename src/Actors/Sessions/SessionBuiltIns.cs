using System.Collections.Immutable;
using System.Text.Json;
using ActorRpc.Actors.Protocol;
using ActorRpc.Actors.Topics;
using ActorRpc.Methods.Authorization;
using ActorRpc.Methods.Definition;
using ActorRpc.Methods.Errors;
using ActorRpc.Methods.Topics;

namespace ActorRpc.Actors.Sessions;

/// <summary>
/// The methods about the connection itself, answered by the session: <c>subscribe</c>,
/// <c>unsubscribe</c>, <c>get_subscriptions</c>, <c>get_topics</c>, <c>$/cancelRequest</c>, and
/// <c>authenticate</c> over HTTP (refused; over a WebSocket it is <see cref="GuardedBuiltIns"/>'). Where
/// a topic is guarded, <c>subscribe</c> and <c>get_topics</c> are answered once its guards decided.
/// A pure function of the request and the session's subscriptions, so every rule is testable
/// without an actor; the session only carries out the <see cref="BuiltInAnswer"/> (tells the
/// topics actor, gives up the cancelled call, writes the frame).
/// </summary>
internal static class SessionBuiltIns
{
    /// <summary>An empty subscription set, shared: most sessions never subscribe (issue #5).</summary>
    public static ImmutableSortedSet<string> NoSubscriptions { get; } = ImmutableSortedSet.Create<string>(StringComparer.Ordinal);

    private static readonly RpcValue NullResult = new(null, typeof(object));

    /// <summary>
    /// The answer to <paramref name="method"/> when it is a built-in; null otherwise (then the
    /// method is routed). Allocates nothing for other methods: every request passes here.
    /// </summary>
    /// <param name="method">The request's method.</param>
    /// <param name="parameters">Its raw JSON params; empty when none.</param>
    /// <param name="subscriptions">The session's topics now.</param>
    /// <param name="topicCatalog">The topics clients may subscribe to.</param>
    /// <param name="maxSubscriptionsPerSession">ActorRpc:Limits:MaxSubscriptionsPerSession.</param>
    /// <param name="patternTopics">The node's live pattern topics (ActorRpc:Limits:MaxPatternTopics).</param>
    /// <param name="singleExchange">The session is an HTTP exchange, which ends with its answer: <c>subscribe</c> and <c>authenticate</c> are refused.</param>
    /// <param name="decision">
    /// For a built-in that depends on who calls (<see cref="GuardedBuiltIns"/>): what its guards
    /// decided. Without it a guarded topic is never subscribed to, nor listed.
    /// </param>
    public static BuiltInAnswer? Answer(
        string method,
        ReadOnlyMemory<byte> parameters,
        ImmutableSortedSet<string> subscriptions,
        TopicCatalog topicCatalog,
        int maxSubscriptionsPerSession,
        PatternTopicBudget patternTopics,
        bool singleExchange,
        GuardDecision? decision = null) =>
        method switch
        {
            CancelRequest.MethodName => AnswerCancelRequest(parameters, subscriptions),
            // Over HTTP no notification could ever reach the subscriber, and each subscription would
            // cost a registration gossiped to every node for an exchange that is already over.
            RpcMethodCatalog.SubscribeName when singleExchange => BuiltInAnswer.Failed(RpcError.SubscriptionsNeedWebSocket, subscriptions),
            RpcMethodCatalog.SubscribeName => Subscribe(
                parameters, subscriptions, topicCatalog, maxSubscriptionsPerSession, patternTopics, (decision as GuardDecision.Subscribe)?.Access),
            RpcMethodCatalog.UnsubscribeName => Unsubscribe(parameters, subscriptions),
            RpcMethodCatalog.GetSubscriptionsName => BuiltInAnswer.Topics([.. subscriptions], subscriptions),
            RpcMethodCatalog.GetTopicsName => BuiltInAnswer.Topics(
                (decision as GuardDecision.VisibleTopics)?.Topics ?? [.. topicCatalog.Listed.Where(name => topicCatalog.GuardOfListed(name) is null)],
                subscriptions),
            // A POST carries its token in its Authorization header; a WebSocket's answer is the session's (GuardedBuiltIns).
            RpcMethodCatalog.AuthenticateName when singleExchange => BuiltInAnswer.Failed(RpcError.AuthenticateNeedsWebSocket, subscriptions),
            _ => null,
        };

    private static BuiltInAnswer AnswerCancelRequest(ReadOnlyMemory<byte> parameters, ImmutableSortedSet<string> subscriptions)
    {
        if (!CancelRequest.TryGetId(parameters, out var id))
        {
            return BuiltInAnswer.Failed(RpcError.InvalidParams("Invalid params: expected {\"id\": <request id>}"), subscriptions);
        }

        // An id that is not (or no longer) in flight is ignored, as LSP requires: the answer is null either way.
        return new BuiltInAnswer(NullResult, null, subscriptions, [], [], id);
    }

    private static BuiltInAnswer Subscribe(
        ReadOnlyMemory<byte> parameters,
        ImmutableSortedSet<string> subscriptions,
        TopicCatalog catalog,
        int limit,
        PatternTopicBudget patternTopics,
        RpcAccess? access)
    {
        if (!TopicParams.TryParse(parameters, out var topics, out var error))
        {
            return BuiltInAnswer.Failed(RpcError.InvalidParams(error!), subscriptions);
        }

        if (topics.FirstOrDefault(t => !catalog.IsAllowed(t)) is { } unknown)
        {
            return BuiltInAnswer.Failed(RpcError.InvalidParams($"Invalid params: unknown topic '{ClientText.Bound(unknown)}'; see get_topics."), subscriptions);
        }

        // Guards come after the names are known and before anything is counted: a refused topic
        // refuses the whole call. With no decision (never expected: GuardedBuiltIns decides where
        // a topic is guarded), a guarded topic is refused rather than let through.
        switch (access ?? (topics.Any(t => catalog.GuardOf(t) is not null) ? RpcAccess.NotPermitted : RpcAccess.Allowed))
        {
            case RpcAccess.AuthenticationRequired:
                return BuiltInAnswer.Failed(RpcError.AuthenticationRequired, subscriptions);
            case RpcAccess.NotPermitted:
                return BuiltInAnswer.Failed(RpcError.NotPermitted, subscriptions);
        }

        // A topic named twice in one request counts twice here, as it always has: the limit is a guard, not a quota.
        if (subscriptions.Count + topics.Count(t => !subscriptions.Contains(t)) > limit)
        {
            return BuiltInAnswer.Failed(
                RpcError.InvalidParams($"Invalid params: a connection may subscribe to at most {limit} topics ({LimitKeys.MaxSubscriptionsPerSession})."),
                subscriptions);
        }

        var (now, added) = Change(subscriptions, topics, subscribe: true);

        // New names of patterns each cost a topic actor here and a registration on every node: the
        // node holds a bounded number of them. All or nothing, like the rest of this call.
        if (added.Where(t => !catalog.IsDeclared(t)).ToList() is { Count: > 0 } patternNames
            && !patternTopics.TryAcquire(patternNames))
        {
            return BuiltInAnswer.Failed(
                RpcError.InvalidParams(
                    $"Invalid params: this node holds its maximum of {patternTopics.Limit} pattern topics ({LimitKeys.MaxPatternTopics}); "
                    + "subscribe to a topic already in use, or try again later."),
                subscriptions);
        }

        return BuiltInAnswer.Topics([.. now], now) with { Subscribe = added };
    }

    private static BuiltInAnswer Unsubscribe(ReadOnlyMemory<byte> parameters, ImmutableSortedSet<string> subscriptions)
    {
        if (!TopicParams.TryParse(parameters, out var topics, out var error))
        {
            return BuiltInAnswer.Failed(RpcError.InvalidParams(error!), subscriptions);
        }

        // A topic never subscribed to is no error: unsubscribing is idempotent.
        var (now, removed) = Change(subscriptions, topics, subscribe: false);
        return BuiltInAnswer.Topics([.. now], now) with { Unsubscribe = removed };
    }

    // Adds or removes each topic in request order: the set after, and the topics that changed it (each once).
    private static (ImmutableSortedSet<string> After, List<string> Changed) Change(
        ImmutableSortedSet<string> subscriptions, IReadOnlyList<string> topics, bool subscribe)
    {
        var changed = new List<string>();
        var after = subscriptions.ToBuilder();
        foreach (var topic in topics)
        {
            if (subscribe ? after.Add(topic) : after.Remove(topic))
            {
                changed.Add(topic);
            }
        }

        return (after.ToImmutable(), changed);
    }
}

/// <summary>What a built-in answers, and what the session must do about it.</summary>
/// <param name="Result">The response's result, when it succeeded.</param>
/// <param name="Error">The response's error (-32602 Invalid params, or -32600 for <c>subscribe</c> over HTTP), when it failed; then nothing else changes.</param>
/// <param name="Subscriptions">The session's topics after the call (unchanged unless it subscribed or unsubscribed).</param>
/// <param name="Subscribe">Topics newly subscribed to, to register with the topics actor, in request order.</param>
/// <param name="Unsubscribe">Topics no longer subscribed to, to unregister, in request order.</param>
/// <param name="CancelId">The raw JSON id a <c>$/cancelRequest</c> names; the oldest call in flight with it is given up.</param>
internal sealed record BuiltInAnswer(
    RpcValue Result,
    RpcError? Error,
    ImmutableSortedSet<string> Subscriptions,
    IReadOnlyList<string> Subscribe,
    IReadOnlyList<string> Unsubscribe,
    ReadOnlyMemory<byte>? CancelId)
{
    /// <summary>The frame to write for a request with <paramref name="id"/>; null for a notification, which gets none.</summary>
    public byte[]? Frame(ReadOnlyMemory<byte> id, JsonSerializerOptions options)
    {
        if (id.IsEmpty)
        {
            return null;
        }

        return Error is null ? JsonRpcResponseWriter.Result(id, Result, options) : JsonRpcResponseWriter.Error(id, Error, options);
    }

    internal static BuiltInAnswer Topics(string[] result, ImmutableSortedSet<string> subscriptions) =>
        new(new RpcValue(result, typeof(string[])), null, subscriptions, [], [], null);

    internal static BuiltInAnswer Failed(RpcError error, ImmutableSortedSet<string> subscriptions) =>
        new(default, error, subscriptions, [], [], null);
}
