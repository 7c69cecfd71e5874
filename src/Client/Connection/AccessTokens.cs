namespace ActorRpc.Client;

/// <summary>Asks the application for its bearer token, once per connection attempt or POST.</summary>
internal static class AccessTokens
{
    /// <summary>The token to send, or null for none (the async provider wins over the plain one).</summary>
    public static async ValueTask<string?> GetAsync(ActorRpcClientOptions options, CancellationToken cancellationToken)
    {
        if (options.AccessTokenProvider is { } provider)
        {
            return await provider(cancellationToken).ConfigureAwait(false);
        }

        return options.AccessToken?.Invoke();
    }
}
