using System.Security.Claims;
using System.Text.Json;
using ActorRpc.Actors.Protocol;
using ActorRpc.Actors.Topics;
using ActorRpc.Methods.Authorization;
using ActorRpc.Methods.Definition;
using ActorRpc.Methods.Topics;

namespace ActorRpc.Actors.Sessions;

/// <summary>
/// The built-ins whose answer depends on who the caller is and so may need to wait for the
/// application's authorization handlers or authentication scheme: <c>subscribe</c> and
/// <c>get_topics</c> where a topic is guarded, and <c>authenticate</c>. The waiting happens here, off
/// the session's thread; the session then carries the decision out with its subscriptions as they
/// are by then (<see cref="SessionBuiltIns"/>, given the decision). On a node without guarded topics
/// only <c>authenticate</c> comes here.
/// </summary>
internal static class GuardedBuiltIns
{
    /// <summary>Whether <paramref name="method"/> is answered through <see cref="DecideAsync"/> on this node.</summary>
    public static bool Applies(string method, TopicCatalog topics, bool singleExchange) => method switch
    {
        // Over HTTP both are refused at once (SessionBuiltIns): an exchange ends with its answer.
        RpcMethodCatalog.AuthenticateName or RpcMethodCatalog.SubscribeName when singleExchange => false,
        RpcMethodCatalog.AuthenticateName => true,
        RpcMethodCatalog.SubscribeName or RpcMethodCatalog.GetTopicsName => topics.HasGuards,
        _ => false,
    };

    /// <summary>
    /// Whether <paramref name="method"/> reads or changes the connection's subscriptions or user, and
    /// so waits its turn behind one of these that waits for a decision.
    /// </summary>
    public static bool KeepsOrder(string method) => method is RpcMethodCatalog.SubscribeName
        or RpcMethodCatalog.UnsubscribeName
        or RpcMethodCatalog.GetSubscriptionsName
        or RpcMethodCatalog.GetTopicsName
        or RpcMethodCatalog.AuthenticateName;

    /// <summary>Decides what the session needs to answer <paramref name="method"/> for <paramref name="user"/> (null: anonymous).</summary>
    public static async Task<GuardDecision> DecideAsync(
        string method, ReadOnlyMemory<byte> parameters, ClaimsPrincipal? user, SessionDependencies dependencies, CancellationToken cancellationToken)
    {
        switch (method)
        {
            case RpcMethodCatalog.AuthenticateName:
                if (!TryGetToken(parameters, out var token))
                {
                    return new GuardDecision.Authenticated(null, RpcError.InvalidParams("Invalid params: expected {\"token\": \"<token>\"}"));
                }

                var identity = await dependencies.Authenticator.AuthenticateAsync(token, cancellationToken).ConfigureAwait(false);
                return identity is null
                    ? new GuardDecision.Authenticated(null, RpcError.AuthenticationRequired)
                    : new GuardDecision.Authenticated(identity, null);
            case RpcMethodCatalog.SubscribeName:
                return new GuardDecision.Subscribe(await SubscribeAccessAsync(parameters, user, dependencies).ConfigureAwait(false));
            default:
                return new GuardDecision.VisibleTopics(await VisibleTopicsAsync(user, dependencies).ConfigureAwait(false));
        }
    }

    // Whether the caller may subscribe to every declared topic asked for: all or nothing, like the rest
    // of subscribe, so the first refusal decides. Params, unknown topics and too many topics are left to
    // SessionBuiltIns, which answers them as for any subscribe (and before any guard runs: a request
    // naming thousands of guarded topics costs no authorization).
    private static async Task<RpcAccess> SubscribeAccessAsync(ReadOnlyMemory<byte> parameters, ClaimsPrincipal? user, SessionDependencies dependencies)
    {
        if (!TopicParams.TryParse(parameters, out var topics, out _))
        {
            return RpcAccess.Allowed;
        }

        // More distinct names than a connection may hold is refused whatever it holds already
        // (SessionBuiltIns); a name repeated to pad the list must not skip the guards of the others.
        var distinct = topics.Distinct(StringComparer.Ordinal).ToList();
        if (distinct.Count > dependencies.Limits.MaxSubscriptionsPerSession || distinct.Any(topic => !dependencies.Topics.IsAllowed(topic)))
        {
            return RpcAccess.Allowed;
        }

        foreach (var topic in distinct)
        {
            if (dependencies.Topics.GuardOf(topic) is { } guard
                && await dependencies.Authorizer.AuthorizeAsync(user, guard, topic).ConfigureAwait(false) is not RpcAccess.Allowed and var refused)
            {
                return refused;
            }
        }

        return RpcAccess.Allowed;
    }

    /// <summary>Which of <paramref name="topics"/> (a connection's subscriptions) <paramref name="user"/> may not subscribe to.</summary>
    public static async Task<IReadOnlyList<string>> RefusedTopicsAsync(IEnumerable<string> topics, ClaimsPrincipal? user, SessionDependencies dependencies)
    {
        var refused = new List<string>();
        foreach (var topic in topics)
        {
            if (dependencies.Topics.GuardOf(topic) is { } guard
                && await dependencies.Authorizer.AuthorizeAsync(user, guard, topic).ConfigureAwait(false) != RpcAccess.Allowed)
            {
                refused.Add(topic);
            }
        }

        return refused;
    }

    // The same rule as rpc.discover's x-topics (TopicCatalog.VisibleToAsync).
    private static Task<string[]> VisibleTopicsAsync(ClaimsPrincipal? user, SessionDependencies dependencies) =>
        dependencies.Topics.VisibleToAsync(user, dependencies.Authorizer);

    /// <summary>Reads <c>{"token": "..."}</c> or <c>["..."]</c>.</summary>
    internal static bool TryGetToken(ReadOnlyMemory<byte> parameters, out string token)
    {
        token = string.Empty;
        if (parameters.IsEmpty)
        {
            return false;
        }

        try
        {
            using var document = JsonDocument.Parse(parameters, new JsonDocumentOptions { MaxDepth = int.MaxValue });
            var root = document.RootElement;
            var value = root.ValueKind switch
            {
                JsonValueKind.Object when root.TryGetProperty("token", out var named) => named,
                JsonValueKind.Array when root.GetArrayLength() == 1 => root[0],
                _ => default,
            };
            if (value.ValueKind != JsonValueKind.String || value.GetString() is not { Length: > 0 } text)
            {
                return false;
            }

            token = text;
            return true;
        }
        catch (JsonException)
        {
            return false; // Invalid UTF-8 inside a string, say: the message parsed, its text does not.
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }
}

/// <summary>What <see cref="GuardedBuiltIns.DecideAsync"/> found out.</summary>
internal abstract record GuardDecision
{
    /// <summary>Whether the caller may subscribe to every declared topic it asked for.</summary>
    internal sealed record Subscribe(RpcAccess Access) : GuardDecision;

    /// <summary>The topics and patterns the caller may subscribe to, sorted.</summary>
    internal sealed record VisibleTopics(string[] Topics) : GuardDecision;

    /// <summary>The connection's new identity, or why there is none (-32602 or -32010).</summary>
    internal sealed record Authenticated(SessionIdentity? Identity, RpcError? Error) : GuardDecision;
}
